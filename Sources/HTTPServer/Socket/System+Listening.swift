// Linux only (SOCK_NONBLOCK, SOCK_CLOEXEC): the transport's own calls on `System`, those that
// take or give its addresses; the event loop's are in the EventLoop module.
import EventLoop
import Glibc

extension System {
    /// A new non-blocking, close-on-exec TCP socket for `address`'s family.
    static func makeStreamSocket(for address: ResolvedAddress) throws(SystemError) -> Int32 {
        try blocking("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
    }

    /// Lets a restarted server bind a port whose old connections are in TIME_WAIT.
    static func setReuseAddress(_ socket: Int32) throws(SystemError) {
        try setOption(socket, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
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

    /// Accepts one pending connection as a non-blocking, close-on-exec socket.
    static func accept(_ socket: Int32) throws(SystemError) -> IOResult<Int32> {
        try accept(socket, flags: Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
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
