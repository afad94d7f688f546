import ChatAPI

extension MemoryChatStore {
    /// Deletes the lobby as one of its members: its streams get the `closed` event (the next
    /// seq), then end; the lobby, its messages and its members' read positions go at once, so
    /// its code is free and no longer counts toward the cap. All under the lock, so no request
    /// sees it half gone.
    func deleteLobby(_ room: String, userId: String) throws(ChatError) {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            guard lobby.isMember(userId) else { throw .notAMember(userId: userId, room: room) }
            // The fan-out ends every stream after the event (`LiveEvent.Effect.closes`).
            lobby.publish { _ in .closed(Components.Schemas.LobbyClosed(room: room, userId: user.id, name: user.name)) }
            for member in lobby.members { state.readings.left(member.id, room) }
            state.retainedBytes -= lobby.retainedBytes
            state.lobbies[room] = nil
            state.lobbyOrder.removeAll { $0.room == room }
        }
    }
}
