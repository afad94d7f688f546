import APIRuntime
import ChatAPI
import Foundation

/// The chat API: the generated `APIHandler` protocol implemented over `ChatStore`.
///
/// Input arrives already checked against the spec; what is left here is what the spec cannot
/// say (blank names, unknown ids, membership). The store throws `ChatError`, which is a
/// problem: the router answers it with the case its operation documents for its status.
struct ChatHandler: APIHandler {
    let store: any ChatStore
    /// Checks that whoever acts as a user holds that user's token.
    let authenticator: Authenticator
    /// The per-user rate limits (posts, joins and leaves, streams).
    let rateLimits: ChatRateLimits
    /// Each user's open streams on this instance, against `ChatLimits.maxStreamsPerUser`.
    let streamCount: StreamCount
    /// What `/readyz` and `/metrics` read (ChatHandler+Operations.swift).
    var probe = ServerProbe()

    func ping(_ input: Operations.Ping.Input) async throws -> Operations.Ping.Output {
        .ok("pong")
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let id = UUID().uuidString.lowercased()
        let token = UserToken.issue(for: id)
        let user = try await store.createUser(id: id, name: input.body.name, tokenDigest: token.digest)
        return .created(Components.Schemas.CreatedUser(id: user.id, name: user.name, token: token.text))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let page = try await store.users(limit: input.query.limit, after: input.query.after)
        return .ok(page.items, headers: .init(link: Self.nextLink("/chat/users", page, limit: input.query.limit)))
    }

    func createLobby(_ input: Operations.CreateLobby.Input) async throws -> Operations.CreateLobby.Output {
        .created(try await store.createLobby(room: input.body?.room))
    }

    func listLobbies(_ input: Operations.ListLobbies.Input) async throws -> Operations.ListLobbies.Output {
        let page = try await store.lobbiesAnswer(limit: input.query.limit, after: input.query.after)
        let headers = Operations.ListLobbies.Output.OkHeaders(link: Self.nextLink("/chat", next: page.next, limit: input.query.limit))
        switch page.items {
        case .encoded(let json): return .ok(encoded: json, headers: headers)
        case .value(let lobbies): return .ok(lobbies, headers: headers)
        }
    }

    func listMembers(_ input: Operations.ListMembers.Input) async throws -> Operations.ListMembers.Output {
        let page = try await store.members(input.path.room, limit: input.query.limit, after: input.query.after)
        return .ok(page.items, headers: .init(link: Self.nextLink("/chat/\(input.path.room)/members", page, limit: input.query.limit)))
    }

    /// `Link: <path?limit=…&after=…>; rel="next"` (RFC 8288) when another page follows.
    static func nextLink<Item>(_ path: String, _ page: Page<Item>, limit: Int) -> String? {
        nextLink(path, next: page.next, limit: limit)
    }

    static func nextLink(_ path: String, next: String?, limit: Int) -> String? {
        next.map { "<\(path)?limit=\(limit)&after=\($0)>; rel=\"next\"" }
    }

    func getLobby(_ input: Operations.GetLobby.Input) async throws -> Operations.GetLobby.Output {
        .ok(try await store.lobby(input.path.room))
    }

    func joinLobby(_ input: Operations.JoinLobby.Input) async throws -> Operations.JoinLobby.Output {
        try await authenticator.authorize(input.credential.secret, actingAs: input.body.userId)
        try rateLimits.membership.check(input.body.userId)
        return .ok(try await store.join(input.path.room, userId: input.body.userId))
    }

    func leaveLobby(_ input: Operations.LeaveLobby.Input) async throws -> Operations.LeaveLobby.Output {
        try await authenticator.authorize(input.credential.secret, actingAs: input.body.userId)
        try rateLimits.membership.check(input.body.userId)
        return .ok(try await store.leave(input.path.room, userId: input.body.userId))
    }

    func deleteLobby(_ input: Operations.DeleteLobby.Input) async throws -> Operations.DeleteLobby.Output {
        try await authenticator.authorize(input.credential.secret, actingAs: input.query.userId)
        try rateLimits.membership.check(input.query.userId)
        try await store.deleteLobby(input.path.room, userId: input.query.userId)
        return .noContent
    }

    func postMessage(_ input: Operations.PostMessage.Input) async throws -> Operations.PostMessage.Output {
        try await authenticator.authorize(input.credential.secret, actingAs: input.body.userId)
        try rateLimits.posts.check(input.body.userId)
        switch try await store.postAnswer(input.path.room, userId: input.body.userId, content: input.body.message) {
        case .encoded(let json): return .created(encoded: json)
        case .value(let message): return .created(message)
        }
    }

    func listMessages(_ input: Operations.ListMessages.Input) async throws -> Operations.ListMessages.Output {
        switch try await store.messagesAnswer(input.path.room, limit: input.query.limit, after: input.query.after) {
        case .encoded(let json): .ok(encoded: json)
        case .value(let messages): .ok(messages)
        }
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(APISpec.yaml)
    }
}
