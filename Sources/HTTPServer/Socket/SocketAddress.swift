/// An IP address and TCP port, such as the one a server is bound to.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The IPv4 or IPv6 address in text form (`127.0.0.1`, `::1`).
    public var host: String
    /// The TCP port.
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:8080`, or `[::1]:8080` for IPv6.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
