/// The `429` answers of the per-client bounds: a connection or a stream past its client's
/// limit. Each says when to try again (`Retry-After: 1`).
enum ClientLimit {
    /// A connection past `HTTPLimits.maxConnectionsPerClient`.
    static func connections(_ limit: Int) -> ProblemDetails {
        ProblemDetails(
            kind: .tooManyRequests, status: .tooManyRequests,
            detail: "this client already holds its limit of \(limit) open connections")
    }

    /// A stream past `HTTPLimits.maxStreamsPerClient`.
    static func streams(_ limit: Int) -> ProblemDetails {
        ProblemDetails(
            kind: .tooManyRequests, status: .tooManyRequests,
            detail: "this client already holds its limit of \(limit) open streams")
    }
}
