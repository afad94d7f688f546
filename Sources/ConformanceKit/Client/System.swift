// The suite's only C: sockets and pipes through Glibc, each call retried on EINTR.
import Glibc

/// A system call failed: which one, and `errno`.
struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The call's name, as in its man page.
    let call: String
    /// `errno` after the call.
    let code: Int32

    var description: String { "\(call) failed: \(String(cString: strerror(code))) (errno \(code))" }

    /// The peer closed or reset the connection.
    var isPeerGone: Bool { code == ECONNRESET || code == EPIPE || code == ENOTCONN }
}

/// What waiting for a descriptor ended with.
enum Readiness: Equatable, Sendable {
    /// There is something to read (data, end of stream, or an error to collect).
    case readable
    /// There is room to write, and nothing to read.
    case writable
    case timedOut
}

/// Every system call the suite makes. Descriptors are non-blocking; waiting is `poll` with a
/// timeout, so no call can hang past its deadline.
enum System {
    /// Runs `call` until it is not interrupted; -1 with any other errno throws.
    @discardableResult
    private static func retrying<T: FixedWidthInteger>(_ name: String, _ call: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code != EINTR { throw SystemCallError(call: name, code: code) }
        }
    }

    /// Like `retrying`, but "would block" (EAGAIN) is nil instead of an error.
    private static func nonBlocking<T: FixedWidthInteger>(_ name: String, _ call: () -> T) throws(SystemCallError) -> T? {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw SystemCallError(call: name, code: code)
        }
    }

    /// Waits until `descriptor` is readable (or, with `forWriting`, also writable), for at most
    /// `milliseconds`; answers which it became.
    static func wait(_ descriptor: Int32, forWriting: Bool = false, milliseconds: Int) throws(SystemCallError) -> Readiness {
        let events = forWriting ? POLLIN | POLLOUT : POLLIN
        var entry = pollfd(fd: descriptor, events: Int16(events), revents: 0)
        let timeout = Int32(clamping: max(0, milliseconds))
        let count = try retrying("poll") { poll(&entry, 1, timeout) }
        if count == 0 { return .timedOut }
        // Errors and hang-ups count as readable: the read that follows reports them.
        if Int32(entry.revents) & (POLLIN | POLLERR | POLLHUP) != 0 { return .readable }
        return .writable
    }

    /// A non-blocking TCP connection to `host` (an IPv4 or IPv6 literal) and `port`, open within `milliseconds`.
    static func connect(host: String, port: UInt16, milliseconds: Int) throws(SystemCallError) -> Int32 {
        let isIPv6 = host.contains(":")
        let family = isIPv6 ? AF_INET6 : AF_INET
        let descriptor = try retrying("socket") {
            socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do throws(SystemCallError) {
            try startConnecting(descriptor, host: host, port: port, isIPv6: isIPv6)
            if try waitWritable(descriptor, milliseconds: milliseconds) == false {
                throw SystemCallError(call: "connect", code: ETIMEDOUT)
            }
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            try retrying("getsockopt") { getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &pending, &length) }
            if pending != 0 { throw SystemCallError(call: "connect", code: pending) }
            return descriptor
        } catch {
            Glibc.close(descriptor)
            throw error
        }
    }

    /// Waits for a connecting socket to become writable (connected or failed).
    private static func waitWritable(_ descriptor: Int32, milliseconds: Int) throws(SystemCallError) -> Bool {
        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        return try retrying("poll") { poll(&entry, 1, Int32(clamping: max(0, milliseconds))) } > 0
    }

    private static func startConnecting(_ descriptor: Int32, host: String, port: UInt16, isIPv6: Bool) throws(SystemCallError) {
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw SystemCallError(call: "inet_pton", code: EINVAL) }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw SystemCallError(call: "inet_pton", code: EINVAL) }
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if result == 0 { return }
        let code = errno
        if code != EINPROGRESS && code != EINTR { throw SystemCallError(call: "connect", code: code) }
    }

    /// Sends some of `bytes`; nil when the socket's buffer is full. Never raises SIGPIPE.
    static func send(_ descriptor: Int32, _ bytes: ArraySlice<UInt8>) throws(SystemCallError) -> Int? {
        try nonBlocking("send") {
            bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// Reads what is available, up to `capacity` bytes: empty at end of stream, nil when nothing is ready.
    static func read(_ descriptor: Int32, capacity: Int) throws(SystemCallError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: capacity)
        let count = try nonBlocking("read") {
            buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        }
        guard let count else { return nil }
        return Array(buffer[0..<count])
    }

    /// Makes a descriptor (such as a pipe's read end) non-blocking.
    static func setNonBlocking(_ descriptor: Int32) throws(SystemCallError) {
        let flags = try retrying("fcntl") { fcntl(descriptor, F_GETFL) }
        try retrying("fcntl") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
    }

    /// Sends SIGKILL to a process that ignored SIGTERM.
    static func kill(processID: Int32) {
        _ = Glibc.kill(processID, SIGKILL)
    }

    /// Closes a descriptor; errors are moot at that point.
    static func close(_ descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
