import APIRuntime
import ChatAPI

/// Presence in memory: each lobby's fan-out counts its streams per user, the tracker debounces
/// the transitions, the roster is who is online, and the batcher sends each lobby's changes
/// as one `presence` event per interval to the streams that asked for them.
extension MemoryChatStore {
    func presence(_ room: String, limit: Int, after: String?) throws(ChatError) -> (online: Int, users: Page<Components.Schemas.User>) {
        try state.withLock { state throws(ChatError) in
            guard state.lobbies[room] != nil else { throw .lobbyNotFound(room) }
        }
        return presenceRoster.withLock { $0.page(room, limit: limit, after: after) }
    }

    /// Wires the tracker and the batcher to this store; called once, by `init`.
    func startPresence() {
        presenceTracker.start { [weak self] room, userId, online in self?.announcePresence(room, userId: userId, online: online) }
        presenceBatcher.start { [weak self] room, frame in
            self?.state.withLock { $0.lobbies[room]?.fanout.deliverEphemeral(frame) { $0.wantsPresence } }
        }
    }

    /// Returns once every presence change so far has been announced and handed to the streams.
    func settlePresence() async {
        await presenceTracker.settle()
        await presenceBatcher.settle()
        await deliverPublishedEvents()
    }

    /// On the tracker's queue, off the store's lock (the name is read under it, then the
    /// roster's lock is taken alone).
    private func announcePresence(_ room: String, userId: String, online: Bool) {
        let name = state.withLock { $0.users[userId]?.name } ?? ""
        guard let (change, count) = presenceRoster.withLock({ $0.set(room, userId: userId, name: name, online: online) }) else { return }
        presenceBatcher.changed(room, change, online: count)
    }
}
