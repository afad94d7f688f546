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

    /// The replay comes from the retained history (a `resync` when the events are not all
    /// retained), queued under the same lock that orders publishing. The stream is forgotten as
    /// soon as it closes.
    func subscribe(_ room: String, userId: String, lastEventId: Int?, sink: EventSink<Components.Schemas.ChatEvent>) {
        let subscriber = Subscriber(userId: userId, sink: sink)
        let admitted = state.withLock { state -> Bool in
            guard let lobby = state.lobbies[room], lobby.isMember(userId) else { return false }
            let replay = lobby.replayFrames(after: lastEventId, maxBytes: limits.maxReplayBytes)
            lobby.subscribers[ObjectIdentifier(subscriber)] = subscriber
            lobby.delivery.replay(replay, to: subscriber)
            return true
        }
        guard admitted else {
            // The user left (or the lobby went) between the check and the stream opening.
            sink.finish()
            return
        }
        sink.onClose { [weak self] in
            self?.unsubscribe(room, subscriber)
        }
    }

    private func unsubscribe(_ room: String, _ subscriber: Subscriber) {
        state.withLock { state in
            state.lobbies[room]?.subscribers[ObjectIdentifier(subscriber)] = nil
        }
    }

    /// Returns once every event published so far has been written to the streams it was for.
    func deliverPublishedEvents() async {
        let deliveries = state.withLock { state in state.lobbies.values.map(\.delivery) }
        for delivery in deliveries { await delivery.deliverQueued() }
    }

    func subscriberCount(_ room: String) -> Int {
        state.withLock { $0.lobbies[room]?.subscribers.count ?? 0 }
    }
}

extension Lobby {
    /// What a stream resuming after `lastEventId` gets first: the retained events after it, or a
    /// `resync` when some are no longer retained, the id is from the future, or the replay would
    /// be more than `maxBytes`.
    func replayFrames(after lastEventId: Int?, maxBytes: Int) -> [EncodedEvent<Components.Schemas.ChatEvent>] {
        guard let lastEventId, lastEventId != lastSeq else { return [] }
        let oldestRetained = history.oldestSeq ?? (lastSeq + 1)
        if lastEventId <= lastSeq && lastEventId >= oldestRetained - 1 {
            let frames = history.frames(after: lastEventId)
            if frames.reduce(0, { $0 + $1.bytes.count }) <= maxBytes { return frames }
        }
        return EncodedEvent.resync(room: room, lastSeq: lastSeq)
    }
}
