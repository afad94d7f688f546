import APIRuntime
import ChatAPI

/// Typing in memory: checked and handed to the lobby's fan-out under the store's lock, so the
/// event is in order with the lobby's others; nothing is kept.
extension MemoryChatStore {
    func typing(_ room: String, userId: String, admit: () -> Bool) throws(ChatError) {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            guard lobby.isMember(userId) else { throw .notAMember(userId: userId, room: room) }
            guard admit(), let frame = EncodedEvent.typing(room: room, userId: userId, name: user.name) else { return }
            lobby.fanout.deliverEphemeral(frame, excluding: userId)
        }
    }
}
