// Linux only (SOCK_NONBLOCK, poll, /proc's clock ticks): the load tool's own calls on the event
// loop's `System`: connecting, waiting on one socket, and what it measures of a process.
import EventLoop
import Glibc

extension System {
    // MARK: Process

    /// Clock ticks per second, the unit of `/proc/PID/stat`'s times.
    static var clockTicksPerSecond: Double {
        Double(max(1, sysconf(Int32(_SC_CLK_TCK))))
    }

    /// User plus system CPU time this process has used, in seconds (`getrusage`).
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Sleeps the calling thread.
    static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1, Glibc.errno == EINTR { request = remaining }
    }

    // MARK: Sockets

    /// A new non-blocking, close-on-exec TCP socket of `family` with Nagle's algorithm off.
    static func makeStreamSocket(family: Int32) throws(SystemError) -> Int32 {
        let socket = try blocking("socket") {
            Glibc.socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        try? setNoDelay(socket)
        return socket
    }

    /// Starts connecting `socket` to `address`; true when already connected, false when the
    /// connection is in progress (the socket becomes writable when it is done).
    static func connect(_ socket: Int32, to address: LoopbackAddress) throws(SystemError) -> Bool {
        var storage = address.storage
        let length = address.length
        while true {
            let result = withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, length) }
            }
            if result == 0 { return true }
            let code = Glibc.errno
            if code == EINTR { continue }
            if code == EINPROGRESS { return false }
            throw SystemError(call: "connect", errno: code)
        }
    }

    /// The pending error of a socket (`SO_ERROR`): 0 once a non-blocking connect succeeded.
    static func pendingError(_ socket: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(socket, SOL_SOCKET, SO_ERROR, &value, &length) == -1 { return Glibc.errno }
        return value
    }

    /// Waits up to `milliseconds` for `socket` to have input (or an error); false on timeout.
    static func waitUntilReadable(_ socket: Int32, milliseconds: Int32) throws(SystemError) -> Bool {
        try poll(socket, events: Int16(POLLIN), milliseconds: milliseconds)
    }

    /// Waits up to `milliseconds` for `socket` to take output (or an error); false on timeout.
    static func waitUntilWritable(_ socket: Int32, milliseconds: Int32) throws(SystemError) -> Bool {
        try poll(socket, events: Int16(POLLOUT), milliseconds: milliseconds)
    }

    private static func poll(_ socket: Int32, events: Int16, milliseconds: Int32) throws(SystemError) -> Bool {
        var descriptor = pollfd(fd: socket, events: events, revents: 0)
        return try blocking("poll") { Glibc.poll(&descriptor, 1, milliseconds) } > 0
    }

    /// Closes a descriptor the tool is done with; a failure leaves nothing to do.
    static func discard(_ descriptor: Int32) {
        try? close(descriptor)
    }

    // MARK: epoll, as the load tool's loop registers it

    /// The readiness bits the loop asks for: input, output, peer hang-up, edge-triggered.
    static let edgeTriggeredReadWrite: EpollEvents = [.input, .output, .peerClosedWriting, .edgeTriggered]
    /// Input ready (or end of stream).
    static let readableEvents = EpollEvents([.input, .peerClosedWriting, .hangUp, .error]).rawValue
    /// Output ready (or the connect finished, or failed).
    static let writableEvents = EpollEvents([.output, .hangUp, .error]).rawValue
}
