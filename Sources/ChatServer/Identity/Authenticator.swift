import Synchronization

/// How the server knows who acts: `token` (the default) requires the acting user's token on
/// every operation that acts as a user; `none` trusts the `userId` of each request, for trusted
/// networks only.
enum AuthenticationMode: String, Sendable, CaseIterable {
    case token
    case none
}

/// Checks that a request acting as a user carries that user's token. Digests are looked up in
/// the store once per user and then kept (a user's token never changes), up to a bound.
final class Authenticator: Sendable {
    let mode: AuthenticationMode
    private let store: any ChatStore
    private let digests = Mutex([String: [UInt8]]())
    /// How many users' digests are kept; past it the cache starts over.
    private let cacheCapacity: Int

    /// A token and whom the server issued it to (nil: nobody), as checked once per request.
    struct CheckedToken: Sendable {
        let token: String
        let owner: String?
    }

    /// The token checked for the request this task answers (by `AddressRateLimiting`, before
    /// the router's handler runs), handed on so that `authorize` does not check it again.
    @TaskLocal static var checked: CheckedToken?

    init(mode: AuthenticationMode, store: any ChatStore, cacheCapacity: Int = 100_000) {
        self.mode = mode
        self.store = store
        self.cacheCapacity = cacheCapacity
    }

    /// Checks that `token` (nil: none came) is `userId`'s: 401 when it is missing or not one the
    /// server issued, 403 when it is another user's. With `none`, anything goes.
    func authorize(_ token: String?, actingAs userId: String) async throws(ChatError) {
        guard mode == .token else { return }
        guard let token else { throw .missingToken }
        let owner: String?
        if let checked = Self.checked, checked.token == token {
            owner = checked.owner
        } else {
            owner = try await issuedTo(token)
        }
        guard let owner else { throw .invalidToken }
        guard owner == userId else { throw .wrongUser(tokenUser: owner, claimed: userId) }
    }

    /// `token` checked: whom the server issued it to, if anyone; nil when no token came or the
    /// store cannot say (then nothing is handed on, and `authorize` asks again).
    func check(_ token: String?) async -> CheckedToken? {
        guard let token else { return nil }
        do throws(ChatError) {
            return CheckedToken(token: token, owner: try await issuedTo(token))
        } catch {
            return nil
        }
    }

    /// The user `token` was issued to; nil when the server issued no such token.
    private func issuedTo(_ token: String) async throws(ChatError) -> String? {
        guard let parsed = UserToken(parsing: token), let stored = try await digest(of: parsed.userId),
            UserToken.digestsMatch(parsed.digest, stored)
        else { return nil }
        return parsed.userId
    }

    private func digest(of userId: String) async throws(ChatError) -> [UInt8]? {
        if let cached = digests.withLock({ $0[userId] }) { return cached }
        guard let stored = try await store.tokenDigest(of: userId) else { return nil }
        digests.withLock { cache in
            if cache.count >= cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[userId] = stored
        }
        return stored
    }
}
