import RouteGenCore

/// A scenario's request before its `${variables}` are resolved.
struct RequestTemplate: Sendable {
    /// The request body as written.
    enum Body: Sendable {
        /// JSON, sent as `application/json` unless the headers say otherwise.
        case json(JSON)
        /// Exact text, sent with no `Content-Type` unless the headers give one.
        case raw(String)
        /// A JSON object of exactly this many bytes (`{"filler":"aaa…"}`), to exceed size limits.
        case filler(bytes: Int)
    }

    var method = "GET"
    /// The path, with `${variables}`; written as it goes on the wire.
    var path: String
    /// Query parameters in order; values percent-encoded once resolved.
    var query: [(name: String, value: JSON)] = []
    var headers: [(name: String, value: JSON)] = []
    var body: Body?
    /// Which credential goes with the request (default: the acting user's token).
    var credential = CredentialChoice()
}
