import HTTPServer

/// A responder made of a closure.
struct ClosureResponder: HTTPResponder {
    let handle: @Sendable (HTTPRequest) -> HTTPResponse

    func respond(to request: HTTPRequest) -> HTTPResponse { handle(request) }
}

/// The default test routes: `/ping` → `pong`, `/echo` → the body back, anything else →
/// `<method> <target>` as text.
let echoResponder = ClosureResponder { request in
    switch request.path {
    case "/ping":
        HTTPResponse(status: .ok, contentType: "text/plain", text: "pong")
    case "/echo":
        HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .bytes(request.body))
    default:
        HTTPResponse(status: .ok, contentType: "text/plain", text: "\(request.method) \(request.target)")
    }
}

/// Short limits so every timeout test takes a fraction of a second.
func makeTestLimits(
    maxRequestLineBytes: Int = 8 * 1024,
    maxHeaderBytes: Int = 16 * 1024,
    maxHeaderCount: Int = 100,
    maxBodyBytes: Int = 64 * 1024,
    headerTimeout: Duration = .seconds(5),
    bodyTimeout: Duration = .seconds(5),
    idleTimeout: Duration = .seconds(5),
    maxStreamOutputBytes: Int = 1024 * 1024,
    maxResponseOutputBytes: Int = 64 * 1024 * 1024,
    maxTotalOutputBytes: Int = 256 * 1024 * 1024,
    maxConnections: Int = 10_000,
    lingerTimeout: Duration = .milliseconds(500),
    shutdownGrace: Duration = .milliseconds(200)
) -> HTTPLimits {
    HTTPLimits(
        maxRequestLineBytes: maxRequestLineBytes,
        maxHeaderBytes: maxHeaderBytes,
        maxHeaderCount: maxHeaderCount,
        maxBodyBytes: maxBodyBytes,
        headerTimeout: headerTimeout,
        bodyTimeout: bodyTimeout,
        idleTimeout: idleTimeout,
        maxStreamOutputBytes: maxStreamOutputBytes,
        maxResponseOutputBytes: maxResponseOutputBytes,
        maxTotalOutputBytes: maxTotalOutputBytes,
        maxConnections: maxConnections,
        lingerTimeout: lingerTimeout,
        shutdownGrace: shutdownGrace
    )
}

/// The problem `type` base the test servers are configured with.
let testProblemTypeBase = "https://problems.test/"

/// A started server on 127.0.0.1 with a free port.
func makeServer(
    host: String = "127.0.0.1",
    limits: HTTPLimits = makeTestLimits(),
    ioQueueCount: Int? = nil,
    trustedProxies: TrustedProxies = TrustedProxies(),
    responder: any HTTPResponder = echoResponder
) throws -> HTTPServer {
    let configuration = HTTPServerConfiguration(
        host: host, port: 0, limits: limits, ioQueueCount: ioQueueCount, trustedProxies: trustedProxies,
        problems: ProblemEncoder(typeBase: testProblemTypeBase))
    let server = HTTPServer(configuration: configuration, responder: responder)
    try server.start()
    return server
}

/// Runs `body` with a started server and shuts it down afterwards.
func withServer<T>(
    limits: HTTPLimits = makeTestLimits(),
    trustedProxies: TrustedProxies = TrustedProxies(),
    responder: any HTTPResponder = echoResponder,
    _ body: (HTTPServer) throws -> T
) throws -> T {
    let server = try makeServer(limits: limits, trustedProxies: trustedProxies, responder: responder)
    defer { server.shutdown(deadline: .milliseconds(500)) }
    return try body(server)
}

/// Polls `condition` every 10 ms for up to `timeout`.
func eventually(timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        usleepMilliseconds(10)
    }
    return condition()
}
