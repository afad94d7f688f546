/// Where a server listens and how it treats clients.
public struct HTTPServerConfiguration: Sendable, Equatable {
    /// The IPv4 or IPv6 literal to listen on (`127.0.0.1`, `0.0.0.0`, `::1`, `::`); brackets
    /// around an IPv6 literal are accepted. Host names are not resolved. Default `127.0.0.1`.
    public var host: String
    /// The TCP port; 0 lets the system pick a free one (read it back from `HTTPServer.port`).
    /// Default 0.
    public var port: Int
    /// Every bound on clients: sizes, counts, timeouts. Default `HTTPLimits()`.
    public var limits: HTTPLimits
    /// Connections the kernel may hold for `accept` before refusing more. Default 1024.
    public var backlog: Int
    /// How many serial queues connection work is spread over; each connection keeps to one.
    /// Default nil: one per processor.
    public var ioQueueCount: Int?
    /// Header fields added to the answers the transport makes itself (client errors, 503),
    /// which never reach a responder: CORS headers, for one. Default none.
    public var errorHeaders: HTTPHeaders
    /// The proxies whose `Forwarded` / `X-Forwarded-For` name the client (for the per-client
    /// bounds and `HTTPRequest.remoteAddress`). Default none: every peer is its own client.
    public var trustedProxies: TrustedProxies
    /// Writes the problem bodies of the transport's own answers. Default: types under
    /// `/problems/` (a relative reference); an application sets its own base.
    public var problems: ProblemEncoder

    /// A configuration; every parameter has its documented default.
    public init(
        host: String = "127.0.0.1",
        port: Int = 0,
        limits: HTTPLimits = HTTPLimits(),
        backlog: Int = 1024,
        ioQueueCount: Int? = nil,
        errorHeaders: HTTPHeaders = [:],
        trustedProxies: TrustedProxies = TrustedProxies(),
        problems: ProblemEncoder = ProblemEncoder.unconfigured
    ) {
        self.host = host
        self.port = port
        self.limits = limits
        self.backlog = backlog
        self.ioQueueCount = ioQueueCount
        self.errorHeaders = errorHeaders
        self.trustedProxies = trustedProxies
        self.problems = problems
    }
}
