import Dispatch
import EventLoop

/// A listening socket and the watch that accepts from it.
///
/// `@unchecked Sendable`: `isPaused` and `isStopped` are touched only on `queue`.
final class Listener: @unchecked Sendable {
    let socket: Int32
    /// The address actually bound (with the port the system picked for port 0).
    let address: SocketAddress
    private let queue = DispatchQueue(label: "HTTPServer.accept")
    private let watch: SocketWatch
    private let log: (@Sendable (String) -> Void)?
    private let accepted: @Sendable (Int32) -> Void
    private var isPaused = false
    private var isStopped = false

    /// Binds and listens on `address`; `accepted` gets each new connection's socket.
    init(
        address: ResolvedAddress,
        backlog: Int,
        watcher: SocketWatcher,
        log: (@Sendable (String) -> Void)?,
        accepted: @escaping @Sendable (Int32) -> Void
    ) throws(SystemError) {
        let socket = try System.makeStreamSocket(for: address)
        do throws(SystemError) {
            try System.setReuseAddress(socket)
            try System.bind(socket, to: address)
            try System.listen(socket, backlog: Int32(clamping: backlog))
            self.address = try System.localAddress(of: socket)
        } catch {
            try? System.close(socket)
            throw error
        }
        self.socket = socket
        self.log = log
        self.accepted = accepted
        watch = watcher.watch(socket, on: queue)
    }

    /// Starts accepting; throws if epoll will not watch the socket.
    func start() throws(SystemError) {
        watch.start { [self] readiness in
            if readiness.contains(.failed) {
                // A later epoll_ctl failed (out of kernel memory): accepting cannot go on.
                log?("accept: epoll refused the listening socket; no longer accepting")
                return
            }
            acceptAll()
        }
        try watch.register(reading: true)
    }

    /// Stops accepting and closes the socket; `completion` runs once it is closed.
    func stop(completion: @escaping @Sendable () -> Void = {}) {
        queue.async { [self] in
            isStopped = true
            watch.cancel()
            try? System.close(socket)
            completion()
        }
    }

    /// Accepts every pending connection.
    private func acceptAll() {
        while !isStopped {
            do throws(SystemError) {
                switch try System.accept(socket) {
                case .wouldBlock: return
                case .processed(let connection): accepted(connection)
                }
            } catch where error.isConnectionAbortedBeforeAccept {
                continue
            } catch where error.isResourceExhaustion {
                // The socket would be reported again at once: rest a little so closes can free
                // descriptors.
                log?("accept paused for 100 ms: \(error)")
                pause(for: .milliseconds(100))
                return
            } catch {
                log?("accept: \(error)")
                return
            }
        }
    }

    private func pause(for interval: DispatchTimeInterval) {
        guard !isPaused else { return }
        watch.watch(reading: false)
        isPaused = true
        queue.asyncAfter(deadline: .now() + interval) { [self] in
            guard isPaused, !isStopped else { return }
            isPaused = false
            watch.watch(reading: true)
        }
    }
}
