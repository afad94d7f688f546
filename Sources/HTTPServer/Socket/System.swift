// Linux only (accept4, SOCK_NONBLOCK, MSG_NOSIGNAL); this file and System+Epoll.swift are the
// module's only C.
import Glibc

/// A system call failed: which one, and `errno`.
struct SystemError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The call's name, as in its man page.
    let call: String
    /// `errno` after the call.
    let errno: Int32

    var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }

    /// The peer went away (reset, broken pipe, timed out): routine, not worth logging.
    var isPeerGone: Bool {
        errno == ECONNRESET || errno == EPIPE || errno == ETIMEDOUT || errno == ENOTCONN
    }

    /// A connection went away before `accept` returned it: try the next one.
    var isConnectionAbortedBeforeAccept: Bool {
        errno == ECONNABORTED || errno == EPROTO
    }

    /// The process or system is out of descriptors or memory: accepting must pause.
    var isResourceExhaustion: Bool {
        errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM
    }
}

/// The outcome of a call on a non-blocking descriptor.
enum IOResult<Value> {
    /// The call did its work.
    case processed(Value)
    /// The descriptor is not ready; wait for its `SocketWatch`.
    case wouldBlock
}

/// The one door to the C library: every system call of the transport goes through here,
/// retried on `EINTR`, with "would block" as a value and failures as `SystemError`.
enum System {
    /// Runs `call` until it is not interrupted; -1 with EAGAIN is `wouldBlock`.
    @inline(__always)
    private static func nonBlocking<T: FixedWidthInteger>(
        _ name: String, _ call: () -> T
    ) throws(SystemError) -> IOResult<T> {
        while true {
            let result = call()
            if result >= 0 { return .processed(result) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return .wouldBlock }
            throw SystemError(call: name, errno: code)
        }
    }

    /// Runs `call` until it is not interrupted; any -1 is an error.
    /// (Internal, not private, only so that `System+Epoll.swift` can use it.)
    @inline(__always)
    @discardableResult
    static func blocking<T: FixedWidthInteger>(_ name: String, _ call: () -> T) throws(SystemError) -> T {
        while true {
            let result = call()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemError(call: name, errno: code)
        }
    }

    // MARK: Process

    /// Raises the soft limit of open descriptors to the hard limit; returns the new soft limit.
    @discardableResult
    static func raiseOpenFileLimit() throws(SystemError) -> Int {
        var limit = rlimit()
        try blocking("getrlimit") { getrlimit(rlimitResource(RLIMIT_NOFILE), &limit) }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            try blocking("setrlimit") { setrlimit(rlimitResource(RLIMIT_NOFILE), &limit) }
        }
        return Int(clamping: limit.rlim_cur)
    }

    @inline(__always)
    private static func rlimitResource(_ value: __rlimit_resource) -> __rlimit_resource_t {
        __rlimit_resource_t(value.rawValue)
    }

    /// Makes a write to a closed socket an `EPIPE` error instead of a fatal signal.
    static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Processors available to this process.
    static var activeProcessorCount: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Seconds since 1970 by the wall clock, for the `Date` header.
    static func wallClockSeconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec
    }

    // MARK: Sockets

    /// A new non-blocking, close-on-exec TCP socket for `address`'s family.
    static func makeStreamSocket(for address: ResolvedAddress) throws(SystemError) -> Int32 {
        try blocking("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
    }

    /// Sets an integer socket option.
    static func setOption(_ socket: Int32, level: Int32, name: Int32, value: Int32) throws(SystemError) {
        var value = value
        try blocking("setsockopt") {
            setsockopt(socket, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Lets a restarted server bind a port whose old connections are in TIME_WAIT.
    static func setReuseAddress(_ socket: Int32) throws(SystemError) {
        try setOption(socket, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
    }

    /// Turns off Nagle's algorithm: responses are written whole, and waiting only adds latency.
    static func setNoDelay(_ socket: Int32) throws(SystemError) {
        try setOption(socket, level: Int32(IPPROTO_TCP), name: TCP_NODELAY, value: 1)
    }

    /// Binds `socket` to `address`.
    static func bind(_ socket: Int32, to address: ResolvedAddress) throws(SystemError) {
        var storage = address.storage
        let length = address.length
        try blocking("bind") {
            withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(socket, $0, length) }
            }
        }
    }

    /// Starts listening with a backlog of `backlog` pending connections.
    static func listen(_ socket: Int32, backlog: Int32) throws(SystemError) {
        try blocking("listen") { Glibc.listen(socket, backlog) }
    }

    /// `accept4(2)`, which Glibc's Swift module does not export (it is a GNU extension),
    /// looked up once by name; nil only on a libc without it.
    private typealias Accept4 = @convention(c) (
        Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32
    ) -> Int32
    private static let accept4 = libcSymbol("accept4", as: Accept4.self)

    /// A libc function the Swift module does not export, looked up by name; nil if absent.
    /// (Internal, not private, only so that `System+Epoll.swift` can use it.)
    static func libcSymbol<T>(_ name: String, as type: T.Type) -> T? {
        guard let address = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(address, to: type)
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket.
    static func accept(_ socket: Int32) throws(SystemError) -> IOResult<Int32> {
        if let accept4 {
            return try nonBlocking("accept4") {
                accept4(socket, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            }
        }
        guard case .processed(let connection) = try nonBlocking("accept", { Glibc.accept(socket, nil, nil) }) else {
            return .wouldBlock
        }
        do throws(SystemError) {
            try blocking("fcntl") { fcntl(connection, F_SETFL, O_NONBLOCK) }
            try blocking("fcntl") { fcntl(connection, F_SETFD, FD_CLOEXEC) }
        } catch {
            try? close(connection)
            throw error
        }
        return .processed(connection)
    }

    /// The address `socket` is bound to.
    static func localAddress(of socket: Int32) throws(SystemError) -> SocketAddress {
        try address(of: socket, "getsockname", getsockname)
    }

    /// The address of the peer of a connected `socket`.
    static func peerAddress(of socket: Int32) throws(SystemError) -> SocketAddress {
        try address(of: socket, "getpeername", getpeername)
    }

    /// What `call` (`getsockname` or `getpeername`) says of `socket`.
    private static func address(
        of socket: Int32, _ name: String, _ call: (Int32, UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) -> Int32
    ) throws(SystemError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try blocking(name) {
            withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call(socket, $0, &length) }
            }
        }
        return ResolvedAddress(storage: storage, length: length).address
    }


    /// Reads into `buffer`; `.processed(0)` is end of stream.
    @inline(__always)
    static func read(_ socket: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try nonBlocking("read") { Glibc.read(socket, buffer.baseAddress, buffer.count) }
    }

    /// Sends from `buffer` without raising `SIGPIPE`; returns how many bytes the kernel took.
    @inline(__always)
    static func send(_ socket: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemError) -> IOResult<Int> {
        try nonBlocking("send") { Glibc.send(socket, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Ends the sending direction (a FIN), keeping the socket open for reading.
    static func shutdownWrite(_ socket: Int32) throws(SystemError) {
        try blocking("shutdown") { Glibc.shutdown(socket, Int32(SHUT_WR)) }
    }

    /// Closes a descriptor. Never retried: on Linux the descriptor is gone even after `EINTR`.
    static func close(_ descriptor: Int32) throws(SystemError) {
        if Glibc.close(descriptor) == -1, errno != EINTR {
            throw SystemError(call: "close", errno: errno)
        }
    }

    /// Gives the heap's free pages back to the system (glibc keeps them after a burst of
    /// connections is gone, so RSS would stay at its peak).
    static func releaseFreeMemory() {
        // glibc's own call, not in the Glibc module's headers.
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let trim = libcSymbol("malloc_trim", as: MallocTrim.self) { _ = trim(0) }
    }

    // MARK: Addresses

    /// The binary form of an IPv4 or IPv6 literal and port, or nil if `host` is neither.
    static func resolve(host: String, port: Int) -> ResolvedAddress? {
        guard (0...65535).contains(port) else { return nil }
        var storage = sockaddr_storage()
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = ipv4
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            return ResolvedAddress(storage: storage, length: socklen_t(MemoryLayout<sockaddr_in>.size))
        }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, host, &ipv6) == 1 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = ipv6
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            return ResolvedAddress(storage: storage, length: socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
        return nil
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal, or nil if `text` is neither.
    static func addressBytes(of text: String) -> [UInt8]? {
        var ipv4 = in_addr()
        if inet_pton(AF_INET, text, &ipv4) == 1 { return withUnsafeBytes(of: &ipv4) { Array($0) } }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, text, &ipv6) == 1 { return withUnsafeBytes(of: &ipv6) { Array($0) } }
        return nil
    }

    /// The text form of 4 or 16 address bytes.
    static func addressText(of bytes: [UInt8]) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        bytes.withUnsafeBytes { raw in
            _ = inet_ntop(bytes.count == 4 ? AF_INET : AF_INET6, raw.baseAddress, &text, socklen_t(text.count))
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The text form and port of a binary address.
    static func describe(_ storage: sockaddr_storage) -> (host: String, port: Int) {
        var storage = storage
        let family = Int32(storage.ss_family)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        return withUnsafeBytes(of: &storage) { raw -> (String, Int) in
            if family == AF_INET {
                var address = raw.load(as: sockaddr_in.self)
                inet_ntop(AF_INET, &address.sin_addr, &text, socklen_t(text.count))
                return (String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                        Int(UInt16(bigEndian: address.sin_port)))
            }
            var address = raw.load(as: sockaddr_in6.self)
            inet_ntop(AF_INET6, &address.sin6_addr, &text, socklen_t(text.count))
            return (String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                    Int(UInt16(bigEndian: address.sin6_port)))
        }
    }
}

/// An address in the form `bind` takes.
struct ResolvedAddress {
    var storage: sockaddr_storage
    var length: socklen_t

    /// `AF_INET` or `AF_INET6`.
    var family: Int32 { Int32(storage.ss_family) }

    /// The address in text form.
    var address: SocketAddress {
        let (host, port) = System.describe(storage)
        return SocketAddress(host: host, port: port)
    }
}
