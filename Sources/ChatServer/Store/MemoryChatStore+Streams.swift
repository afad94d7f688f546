import APIRuntime
import ChatAPI

extension MemoryChatStore {
    func checkSubscription(_ room: String, userId: String) throws(ChatError) -> Int {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard state.users[userId] != nil else { throw .userNotFound(userId) }
            guard lobby.isMember(userId) else { throw .notAMember(userId: userId, room: room) }
            return lobby.lastSeq
        }
    }

    /// Admitted by the lobby's live streams under the same lock that orders publishing, so the
    /// replay and the live events meet with nothing lost or repeated; a user who left since
    /// the check gets the events up to their leave, then the stream ends. The stream is
    /// forgotten as soon as it closes.
    func subscribe(_ room: String, userId: String, lastEventId: Int?, presenceEvents: Bool, sink: EventSink<Components.Schemas.ChatEvent>) {
        let subscriber = Subscriber(userId: userId, sink: sink, wantsPresence: presenceEvents)
        let isLive = state.withLock { state -> Bool? in
            state.lobbies[room].map { $0.fanout.admit(subscriber, after: lastEventId) }
        }
        switch isLive {
        case nil:
            // The lobby was retired since the check: nothing will come.
            sink.finish()
        case true?:
            sink.onClose { [weak self] in self?.unsubscribe(room, subscriber) }
        case false?:
            break
        }
    }

    private func unsubscribe(_ room: String, _ subscriber: Subscriber) {
        state.withLock { state in
            state.lobbies[room]?.fanout.remove(subscriber)
        }
    }

    /// Returns once every event published so far has been written to the streams it was for.
    func deliverPublishedEvents() async {
        let deliveries = state.withLock { state in state.lobbies.values.map(\.fanout.delivery) }
        for delivery in deliveries { await delivery.deliverQueued() }
    }

    func subscriberCount(_ room: String) -> Int {
        state.withLock { $0.lobbies[room]?.fanout.subscriberCount ?? 0 }
    }
}
