import APIRuntime
import HTTPServer

/// The per-address limits, in front of the router: sign-ups (`POST /chat/user`), lobby
/// creation (`POST /chat`) and every request without a valid token (none, or one the server
/// did not issue: a flood of forged tokens is limited like one without), each counted against
/// the client (`HTTPRequest.client`: its address, an IPv6 /64, or behind a trusted proxy the
/// client the proxy names); past one, 429 with `Retry-After` and the rate-limit fields. Health
/// probes are exempt, and `/metrics` when `metricsExempt`. A request whose peer address is
/// unknown counts under one shared key. (Per-user limits are the handler's: they need the checked token and the user.)
struct AddressRateLimiting: HTTPResponder {
    let next: any HTTPResponder
    let limits: ChatRateLimits
    /// Tells a token the server issued from any other (the cached digest check).
    let authenticator: Authenticator
    /// The router's: its problem encoder and CORS, so a 429 reads like the router's answers.
    let options: RouterOptions

    /// Whether `/metrics` is exempt like the health probes (`--no-limit-metrics`); by default
    /// it is limited like any route, since a scrape costs more than a probe.
    var metricsExempt = false

    /// Paths that are never limited, so that operators can always see the server.
    static let exemptPaths: Set<Substring> = ["/healthz", "/readyz"]

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        if Self.exemptPaths.contains(request.path) || (metricsExempt && request.path == "/metrics") {
            return await next.respond(to: request)
        }
        let address = request.client?.description ?? "unknown"
        do throws(ChatError) {
            if request.method == "POST" {
                switch request.path {
                case "/chat/user": try limits.signups.check(address)
                case "/chat": try limits.lobbies.check(address)
                default: break
                }
            }
            if !(await carriesIssuedToken(request)) { try limits.anonymous.check(address) }
        } catch {
            return RouterResponses.withCORS(options.problems.response(error.problem, headers: error.responseHeaders), for: request, options: options)
        }
        return await next.respond(to: request)
    }

    /// Whether the request carries a token the server issued (whoever it names; the handler
    /// checks that): `Authorization: Bearer`, or `access_token` in the query.
    private func carriesIssuedToken(_ request: HTTPRequest) async -> Bool {
        guard let token = Authentication.bearer(request) ?? Authentication.apiKey(request, in: .query, name: "access_token") else { return false }
        return await authenticator.isIssued(token)
    }
}
