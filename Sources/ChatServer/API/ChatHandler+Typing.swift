import APIRuntime
import ChatAPI

extension ChatHandler {
    /// `POST /chat/{room}/typing`: a member says they type; the lobby's other streams get an
    /// ephemeral `typing`, at most one per user and lobby each 2 s (the rest answered 204 too).
    func sendTyping(_ input: Operations.SendTyping.Input) async throws -> Operations.SendTyping.Output {
        let room = input.path.room
        let userId = input.body.userId
        try await authenticator.authorize(input.credential.secret, actingAs: userId)
        try await store.typing(room, userId: userId) {
            if case .allowed = rateLimits.typing.take("\(room) \(userId)") { true } else { false }
        }
        return .noContent
    }
}
