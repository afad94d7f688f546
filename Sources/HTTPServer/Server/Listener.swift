import Dispatch

/// A listening socket and the read source that accepts from it.
///
/// `@unchecked Sendable`: `source`, `isPaused` and `isStopped` are touched only on `queue`.
final class Listener: @unchecked Sendable {
    let socket: Int32
    /// The address actually bound (with the port the system picked for port 0).
    let address: SocketAddress
    private let queue = DispatchQueue(label: "HTTPServer.accept")
    private let log: (@Sendable (String) -> Void)?
    private let accepted: @Sendable (Int32) -> Void
    private var source: DispatchSourceRead?
    private var isPaused = false
    private var isStopped = false

    /// Binds and listens on `address`; `accepted` gets each new connection's socket.
    init(
        address: ResolvedAddress,
        backlog: Int,
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
    }

    /// Starts accepting.
    func start() {
        queue.async { [self] in
            let source = DispatchSource.makeReadSource(fileDescriptor: socket, queue: queue)
            source.setEventHandler { [self] in acceptAll() }
            source.setCancelHandler { [socket] in try? System.close(socket) }
            self.source = source
            source.resume()
        }
    }

    /// Stops accepting and closes the socket; `completion` runs once it is closed.
    func stop(completion: @escaping @Sendable () -> Void = {}) {
        queue.async { [self] in
            isStopped = true
            if let source {
                source.setCancelHandler { [socket] in
                    try? System.close(socket)
                    completion()
                }
                source.cancel()
                // A suspended source never runs its cancellation handler.
                if isPaused { source.resume() }
                isPaused = false
                self.source = nil
            } else {
                try? System.close(socket)
                completion()
            }
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
                // The source would fire again at once: rest a little so closes can free descriptors.
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
        guard let source, !isPaused else { return }
        source.suspend()
        isPaused = true
        queue.asyncAfter(deadline: .now() + interval) { [self] in
            guard isPaused, let source = self.source else { return }
            isPaused = false
            source.resume()
        }
    }
}
