import APIRuntime
import ChatAPI

extension ChatHandler {
    /// `PUT /chat/{room}/read`: the member's read position moves up to `seq` (never back).
    func markRead(_ input: Operations.MarkRead.Input) async throws -> Operations.MarkRead.Output {
        try await authenticator.authorize(input.credential.secret, actingAs: input.body.userId)
        return .ok(try await store.markRead(input.path.room, userId: input.body.userId, seq: input.body.seq))
    }

    /// `GET /chat/users/{userId}/lobbies`: the user's lobbies in join order, each with its unread count.
    func listUserLobbies(_ input: Operations.ListUserLobbies.Input) async throws -> Operations.ListUserLobbies.Output {
        let userId = input.path.userId
        try await authenticator.authorize(input.credential.secret, actingAs: userId)
        let page = try await store.readings(of: userId, limit: input.query.limit, after: input.query.after)
        return .ok(page.items, headers: .init(link: Self.nextLink("/chat/users/\(userId)/lobbies", page, limit: input.query.limit)))
    }
}
