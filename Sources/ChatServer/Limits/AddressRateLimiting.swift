import APIRuntime
import ChatAPI
import HTTPServer

/// The per-client limits, first thing after the router's match: sign-ups (`createUser`), lobby
/// creation (`createLobby`) and every request without a valid token (none, or one the server did
/// not issue: a flood of forged tokens is limited like one without), each counted against the
/// client (`HTTPRequest.client`: its address, an IPv6 /64, or behind a trusted proxy the client
/// the proxy names); past one, 429 with `Retry-After` and the rate-limit fields. Health probes are
/// exempt, and `getMetrics` when `metricsExempt`. A request whose peer address is unknown counts
/// under one shared key. (Per-user limits are the handler's: they need the user the token names.)
///
/// The token is checked here, once: the result travels with the request's task
/// (`Authenticator.checked`), so the handler does not check it again.
struct AddressRateLimiting: ServerMiddleware {
    let limits: ChatRateLimits
    /// Tells a token the server issued from any other (the cached digest check).
    let authenticator: Authenticator
    /// The router's problem encoder, so a 429 reads like the router's answers.
    let options: RouterOptions

    /// Whether `getMetrics` is exempt like the health probes (`--no-limit-metrics`); by default
    /// it is limited like any operation, since a scrape costs more than a probe.
    var metricsExempt = false

    /// Operations that are never limited, so that operators can always see the server.
    static let exempt: Set<String> = [OperationID.getHealth.rawValue, OperationID.getReadiness.rawValue]

    func intercept(
        _ request: HTTPRequest, operationID: String?, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        if let operationID, Self.exempt.contains(operationID) || (metricsExempt && operationID == OperationID.getMetrics.rawValue) {
            return try await next(request)
        }
        let address = request.client?.description ?? "unknown"
        let checked = await authenticator.check(Self.presentedToken(request))
        do throws(ChatError) {
            switch operationID {
            case OperationID.createUser.rawValue: try limits.signups.check(address)
            case OperationID.createLobby.rawValue: try limits.lobbies.check(address)
            default: break
            }
            if checked?.owner == nil { try limits.anonymous.check(address) }
        } catch {
            return options.problems.response(error.problem, headers: error.responseHeaders)
        }
        guard let checked else { return try await next(request) }
        return try await Authenticator.$checked.withValue(checked) { try await next(request) }
    }

    /// The token the request carries, where any operation of the spec takes one:
    /// `Authorization: Bearer`, or `access_token` in the query.
    private static func presentedToken(_ request: HTTPRequest) -> String? {
        Authentication.bearer(request) ?? Authentication.apiKey(request, in: .query, name: "access_token")
    }
}
