import Glibc

/// The server under test: `http://127.0.0.1:PORT` or `http://[::1]:PORT`, nothing else.
///
/// The tool only ever generates load against its own machine, so the address is built from the
/// loopback constants themselves rather than resolved: no other host can be reached through it.
struct LoopbackAddress: Sendable, CustomStringConvertible {
    /// Why a `--base-url` was refused.
    enum Refusal: Error, CustomStringConvertible {
        case notHTTP(String)
        case notLoopback(host: String)
        case badPort(String)
        case hasPath(String)

        var description: String {
            switch self {
            case .notHTTP(let url): "--base-url '\(url)' must start with http:// (https is not supported)"
            case .notLoopback(let host): "--base-url host '\(host)' is refused: only the loopback addresses 127.0.0.1 and [::1] are allowed"
            case .badPort(let url): "--base-url '\(url)' needs a port between 1 and 65535"
            case .hasPath(let url): "--base-url '\(url)' must not have a path, query or user info"
            }
        }
    }

    /// `AF_INET` or `AF_INET6`.
    let family: Int32
    /// The port, host order.
    let port: UInt16
    /// The `Host` header value, e.g. `127.0.0.1:3000` or `[::1]:3000`.
    let hostHeader: String
    /// The socket address for `connect`.
    let storage: sockaddr_storage
    /// How many bytes of `storage` are the address.
    let length: socklen_t

    var description: String { "http://\(hostHeader)" }

    /// Parses a base URL, refusing anything that is not plain HTTP to a loopback literal.
    init(baseURL: String) throws(Refusal) {
        guard baseURL.hasPrefix("http://") else { throw .notHTTP(baseURL) }
        var rest = Substring(baseURL.dropFirst("http://".count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.contains("/") || rest.contains("?") || rest.contains("@") || rest.contains("#") { throw .hasPath(baseURL) }
        let host: Substring
        let portText: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .notLoopback(host: String(rest)) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let afterHost = rest[rest.index(after: close)...]
            guard afterHost.hasPrefix(":") else { throw .badPort(baseURL) }
            portText = afterHost.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw .badPort(baseURL) }
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard let port = UInt16(portText), port > 0 else { throw .badPort(baseURL) }
        self.port = port
        var storage = sockaddr_storage()
        switch host {
        case "127.0.0.1":
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(port.bigEndian)
            address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            family = AF_INET
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            hostHeader = "127.0.0.1:\(port)"
        case "::1":
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(port.bigEndian)
            address.sin6_addr = in6addr_loopback
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            family = AF_INET6
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            hostHeader = "[::1]:\(port)"
        default:
            throw .notLoopback(host: String(host))
        }
        self.storage = storage
    }
}
