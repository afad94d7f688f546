import APIRuntime
import HTTPServer

/// Refuses a request whose credential is ambiguous, before anyone reads it: `access_token`
/// given twice, or a token in both `Authorization` and `access_token` (RFC 6750 §3.1: one
/// method per request). 400 `validation` naming the field, never "first one wins". (Two
/// `Authorization` fields never get here: the transport answers those 400 itself.)
struct AmbiguousCredentials: ServerMiddleware {
    /// The router's problem encoder, so the 400 reads like the router's answers.
    let options: RouterOptions

    func intercept(
        _ request: HTTPRequest, operationID: String?, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let reason = Self.ambiguity(request) else { return try await next(request) }
        let problem = ProblemDetails(
            kind: .validation, status: .badRequest, detail: "query.access_token \(reason)",
            errors: [.init(field: "query.access_token", reason: reason)])
        return options.problems.response(problem)
    }

    /// Why the request's credential is ambiguous; nil when it is not.
    static func ambiguity(_ request: HTTPRequest) -> String? {
        guard let query = request.query, query.contains("access_token") else { return nil }
        let tokens = QueryParameters(query).pairs.count { $0.name == "access_token" }
        if tokens > 1 { return "must be given once" }
        if tokens == 1, request.headers.contains("Authorization") {
            return "must not come with an Authorization header (RFC 6750 §3.1: one way per request)"
        }
        return nil
    }
}
