import APIRuntime
import ChatAPI

extension ChatHandler {
    func streamEvents(_ input: Operations.StreamEvents.Input) async throws -> Operations.StreamEvents.Output {
        let room = input.path.room
        let userId = try Self.identity(query: input.query.userId, header: input.headers.xUserId)
        try await authenticator.authorize(input.credential.secret, actingAs: userId)
        try rateLimits.streams.check(userId)
        try streamCount.check(userId)
        let latestSeq = try await store.checkSubscription(room, userId: userId)
        // A reconnecting EventSource sends the header while its URL still has the first query;
        // a new stream starts after the latest event as of the check.
        let lastEventId = input.headers.lastEventID ?? input.query.lastEventId ?? latestSeq
        let store = self.store
        let streamCount = self.streamCount
        let limits = store.limits
        let presenceEvents = input.query.presence
        return .ok(EventStream(retryMilliseconds: limits.retryMilliseconds, heartbeat: limits.heartbeat) { sink in
            streamCount.opened(userId, sink)
            store.subscribe(room, userId: userId, lastEventId: lastEventId, presenceEvents: presenceEvents, sink: sink)
        })
    }

    /// The user a stream is for: `userId` or `X-User-Id`, which must agree when both are given.
    static func identity(query: String?, header: String?) throws(ChatError) -> String {
        switch (query, header) {
        case (nil, nil): throw .missingIdentity
        case let (query?, header?) where query != header: throw .conflictingIdentity(query: query, header: header)
        case let (query?, _): return query
        case let (nil, header?): return header
        }
    }
}
