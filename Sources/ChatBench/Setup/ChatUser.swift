/// A user the tool acts as: the id and secret token `POST /chat/user` answered, and the
/// `Authorization` header that proves it, built once so a hot path only copies it.
struct ChatUser: Sendable {
    /// The user's id, sent as `userId` in bodies and queries.
    let id: String
    /// The secret token (`<id>.<secret>`); the server requires it on join, leave, post and the
    /// stream unless it runs with `--auth none`, where it is issued all the same. Nil for a
    /// server that issues none (one from before tokens, for an A/B run).
    let token: String?
    /// `Authorization: Bearer <token>` as headers for `RequestBytes`; none without a token.
    let credentialHeaders: [(name: String, value: String)]

    init(id: String, token: String?) {
        self.id = id
        self.token = token
        credentialHeaders = token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }
}
