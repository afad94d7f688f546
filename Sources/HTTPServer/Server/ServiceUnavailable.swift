/// The `503` answers the transport makes itself: past the connection limit, and to a request
/// that arrives while the server shuts down. Each says when to try again and closes.
enum ServiceUnavailable {
    /// The `Retry-After` they carry, in seconds.
    static let retryAfterSeconds = 1

    /// A request or connection that arrives once shutdown began.
    static let shuttingDown = ProblemDetails(
        kind: .serviceUnavailable, status: .serviceUnavailable, detail: "the server is shutting down")

    /// A connection past `HTTPLimits.maxConnections`.
    static func atLimit(_ maxConnections: Int) -> ProblemDetails {
        ProblemDetails(
            kind: .serviceUnavailable, status: .serviceUnavailable,
            detail: "the server is at its limit of \(maxConnections) connections")
    }

    /// `headers` with `Retry-After` added.
    static func headers(_ headers: HTTPHeaders) -> HTTPHeaders {
        headers.setting("Retry-After", String(retryAfterSeconds))
    }
}
