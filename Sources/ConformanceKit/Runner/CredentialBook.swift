import RouteGenCore

/// The tokens a unit (an example replay or a scenario) has seen the server issue, and how the
/// suite sends one: every JSON answer with string fields `id` and `token` (what a sign-up
/// answers) teaches the book that user's token.
struct CredentialBook: Sendable {
    /// Tokens by user id, in the order they were learnt.
    private(set) var tokens: [(id: String, token: String)] = []

    /// Remembers the token of the user in `body`, if it has one.
    mutating func learn(from body: JSON?) {
        guard case .string(let id)? = body?["id"], case .string(let token)? = body?["token"] else { return }
        tokens.removeAll { $0.id == id }
        tokens.append((id: id, token: token))
    }

    /// The token of `userId`, if learnt.
    func token(of userId: String) -> String? {
        tokens.first { $0.id == userId }?.token
    }

    /// `request` with the credential `choice` names, when `operation` takes one and the request
    /// does not already carry one of the operation's schemes. `labels` resolves `user(label)`
    /// to a user id. Returns nil (and the reason) when the choice names nobody it knows.
    func attach(
        to request: ClientRequest, operation: Operation?, document: APIDocument, choice: CredentialChoice, labels: (String) -> String?
    ) -> Result<ClientRequest, Unknown> {
        guard let operation, !operation.security.isEmpty else { return .success(request) }
        let schemes = operation.security.compactMap { name in document.securitySchemes.first { $0.name == name } }
        if schemes.contains(where: { Self.carries(request, $0) }) { return .success(request) }
        let token: String
        switch choice.who {
        case .none: return .success(request)
        case .actingUser:
            guard let found = tokens.first(where: { Self.mentions(request, $0.id) }) else { return .success(request) }
            token = found.token
        case .invalid:
            let id = tokens.first(where: { Self.mentions(request, $0.id) })?.id ?? "00000000-0000-4000-8000-000000000000"
            token = id + "." + String(repeating: "A", count: 43)
        case .user(let label):
            guard let id = labels(label), let found = self.token(of: id) else { return .failure(Unknown(label: label)) }
            token = found
        }
        let scheme = choice.scheme.flatMap { name in schemes.first { $0.name == name } } ?? schemes.first
        guard let scheme else { return .success(request) }
        return .success(Self.adding(token, by: scheme, to: request))
    }

    /// A `credential:` naming a user the unit has no token for.
    struct Unknown: Error, Sendable, CustomStringConvertible {
        var label: String
        var description: String { "credential '\(label)': no token of that user was seen (it must be created by setup or a step)" }
        /// Why a unit that needs this credential cannot be judged when the server issued no token at all.
        var unjudgeable: String {
            "it sends user '\(label)''s token, and the server issued none (no sign-up answer had a token); a server that issues no tokens cannot answer it as documented"
        }
    }

    private static func adding(_ token: String, by scheme: SecurityScheme, to request: ClientRequest) -> ClientRequest {
        var request = request
        switch scheme.kind {
        case .bearer: request.headers.append((name: "Authorization", value: "Bearer " + token))
        case .basic: break  // a token is no user and password
        case .apiKey(let place, let name):
            switch place {
            case "query":
                let separator = request.target.contains("?") ? "&" : "?"
                request.target += separator + ClientRequest.encodeQueryComponent(name) + "=" + ClientRequest.encodeQueryComponent(token)
            case "cookie": request.headers.append((name: "Cookie", value: "\(name)=\(token)"))
            default: request.headers.append((name: name, value: token))
            }
        }
        return request
    }

    /// Whether `request` already carries a credential of `scheme`.
    private static func carries(_ request: ClientRequest, _ scheme: SecurityScheme) -> Bool {
        switch scheme.kind {
        case .bearer, .basic: return request.header("Authorization") != nil
        case .apiKey(let place, let name):
            switch place {
            case "query":
                let query = request.target.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
                return query.split(separator: "&").contains { $0.hasPrefix(name + "=") }
            case "cookie": return request.header("Cookie")?.contains(name + "=") == true
            default: return request.header(name) != nil
            }
        }
    }

    /// Whether `id` appears in the request's target, headers or body.
    private static func mentions(_ request: ClientRequest, _ id: String) -> Bool {
        request.target.contains(id) || request.headers.contains { $0.value.contains(id) }
            || request.body.map { String(decoding: $0, as: UTF8.self).contains(id) } == true
    }
}
