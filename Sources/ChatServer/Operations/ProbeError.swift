import HTTPServer

/// Why `/readyz` refuses: a `service-unavailable` problem, which every path answers as 503 with
/// `Retry-After: 1`.
enum ProbeError: ProblemConvertible, Equatable, Sendable {
    /// Shutting down, or the store not connected or not caught up.
    case notReady

    /// The problem this error is answered with.
    var problem: ProblemDetails {
        ProblemDetails(kind: .serviceUnavailable, status: .serviceUnavailable, detail: "the server is not ready to take work; try again shortly")
    }
}
