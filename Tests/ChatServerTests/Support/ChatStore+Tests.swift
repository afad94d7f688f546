@testable import ChatServer
import ChatAPI
import Foundation

extension ChatStore {
    /// Creates a user with a fresh id and the digest of a fresh token, as sign-up does.
    func createUser(name: String) async throws(ChatError) -> Components.Schemas.User {
        let id = UUID().uuidString.lowercased()
        return try await createUser(id: id, name: name, tokenDigest: UserToken.issue(for: id).digest)
    }
}

extension MemoryChatStore {
    /// `createUser(name:)` without waiting: the memory store never suspends.
    func createUser(name: String) throws(ChatError) -> Components.Schemas.User {
        let id = UUID().uuidString.lowercased()
        return try createUser(id: id, name: name, tokenDigest: UserToken.issue(for: id).digest)
    }
}

extension ChatHandler {
    /// A handler over `store` that trusts user ids and limits nothing, for tests of other parts.
    static func open(_ store: any ChatStore, probe: ServerProbe = ServerProbe()) -> ChatHandler {
        ChatHandler(
            store: store, authenticator: Authenticator(mode: .none, store: store), rateLimits: ChatRateLimits(.off),
            streamCount: StreamCount(limit: .max), probe: probe)
    }
}
