import APIRuntime
import ChatAPI

extension ChatHandler {
    /// `GET /chat/users/{userId}/events`: one stream of every lobby the user is in, each lobby
    /// followed through its own fan-out (`UserStream`), resumable from the cursor its ids carry.
    func streamUserEvents(_ input: Operations.StreamUserEvents.Input) async throws -> Operations.StreamUserEvents.Output {
        let userId = input.path.userId
        try await authenticator.authorize(input.credential.secret, actingAs: userId)
        try rateLimits.streams.check(userId)
        try streamCount.check(userId)
        // The spec's pattern admits only cursors; a reconnecting EventSource sends the header
        // while its URL still has the first query, so the header wins.
        let resumed = (input.headers.lastEventID ?? input.query.lastEventId).map { UserCursor(parsing: $0) ?? UserCursor() }
        // As of before the head goes out: a fresh stream gets every event after it.
        let memberships = try await store.memberships(of: userId)
        let presenceEvents = input.query.presence
        let store = self.store
        let streamCount = self.streamCount
        let limits = store.limits
        return .ok(EventStream(retryMilliseconds: limits.retryMilliseconds, heartbeat: limits.heartbeat) { sink in
            streamCount.opened(userId, sink)
            let stream = UserStream(userId: userId, sink: sink) { room, after, attachment in
                store.subscribe(room, userId: userId, lastEventId: after, presenceEvents: presenceEvents, sink: attachment)
            }
            // Registered first: every join from now on reaches it.
            store.userStreams.register(stream)
            for membership in memberships { stream.follow(membership.room, after: Self.start(of: membership, resuming: resumed)) }
            // A lobby joined between the read above and the registration: from the join.
            let known = Set(memberships.map(\.room))
            Task {
                guard let now = try? await store.memberships(of: userId) else { return }
                for membership in now where !known.contains(membership.room) { stream.follow(membership.room, fromJoin: membership.joinSeq) }
            }
        })
    }

    /// Where a user stream starts in a lobby: after the cursor's seq for it; from the user's
    /// join for a lobby the cursor does not name (joined since); live for a fresh stream.
    static func start(of membership: Membership, resuming cursor: UserCursor?) -> Int {
        guard let cursor else { return membership.lastSeq }
        return cursor[membership.room] ?? max(0, membership.joinSeq - 1)
    }
}
