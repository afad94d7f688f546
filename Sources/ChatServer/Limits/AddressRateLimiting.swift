import APIRuntime
import HTTPServer

/// The per-address limits, in front of the router: sign-ups (`POST /chat/user`), lobby
/// creation (`POST /chat`) and every request without a token, each counted against the
/// client's address; past one, 429 with `Retry-After` and the rate-limit fields. Health and
/// metrics are exempt. (Per-user limits are the handler's: they need the checked token.)
struct AddressRateLimiting: HTTPResponder {
    let next: any HTTPResponder
    let limits: ChatRateLimits
    /// The router's: its problem encoder and CORS, so a 429 reads like the router's answers.
    let options: RouterOptions

    /// Paths that are never limited, so that operators can always see the server.
    static let exemptPaths: Set<Substring> = ["/healthz", "/readyz", "/metrics"]

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard let address = request.remoteAddress, !Self.exemptPaths.contains(request.path) else {
            return await next.respond(to: request)
        }
        do throws(ChatError) {
            if request.method == "POST" {
                switch request.path {
                case "/chat/user": try limits.signups.check(address)
                case "/chat": try limits.lobbies.check(address)
                default: break
                }
            }
            if !Self.carriesToken(request) { try limits.anonymous.check(address) }
        } catch {
            return RouterResponses.withCORS(options.problems.response(error.problem, headers: error.responseHeaders), for: request, options: options)
        }
        return await next.respond(to: request)
    }

    /// Whether the request comes with a credential (checked later, by the handler).
    private static func carriesToken(_ request: HTTPRequest) -> Bool {
        if request.headers.contains("Authorization") { return true }
        guard let query = request.query else { return false }
        return query.split(separator: "&").contains { $0.hasPrefix("access_token=") }
    }
}
