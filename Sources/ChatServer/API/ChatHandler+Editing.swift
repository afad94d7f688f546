import APIRuntime
import ChatAPI

extension ChatHandler {
    /// `PATCH /chat/{room}/messages/{messageId}`: the author replaces the content; emits `edit`.
    func editMessage(_ input: Operations.EditMessage.Input) async throws -> Operations.EditMessage.Output {
        let userId = input.body.userId
        try await authenticator.authorize(input.credential.secret, actingAs: userId)
        try rateLimits.posts.check(userId)
        return .ok(try await store.edit(input.path.room, messageId: input.path.messageId, userId: userId, content: input.body.content))
    }

    /// `DELETE /chat/{room}/messages/{messageId}?userId=`: the author deletes it; emits `delete` once.
    func deleteMessage(_ input: Operations.DeleteMessage.Input) async throws -> Operations.DeleteMessage.Output {
        let userId = input.query.userId
        try await authenticator.authorize(input.credential.secret, actingAs: userId)
        try rateLimits.posts.check(userId)
        return .ok(try await store.delete(input.path.room, messageId: input.path.messageId, userId: userId))
    }
}
