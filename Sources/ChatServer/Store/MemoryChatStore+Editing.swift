import ChatAPI

/// Editing and deleting one's own messages in memory. The message is found through its
/// lobby's `MessageIndex` (O(1), then a binary search by seq); the change and its event are
/// made under the store's lock, so the event takes the next seq and the budget counts both.
extension MemoryChatStore {
    func edit(_ room: String, messageId: String, userId: String, content: String) throws(ChatError) -> Components.Schemas.Message {
        try checkEdit(of: content)
        let editedAt = Timestamp.rfc3339(now())
        return try state.withLock { state throws(ChatError) in
            let (lobby, position) = try authored(messageId, in: room, by: userId, state)
            var message = lobby.messages[position]
            guard message.deleted != true else { throw .messageDeleted(messageId) }
            guard lobby.fanout.delivery.backlog < limits.maxDeliveryBacklog else { throw .lobbyBusy(room) }
            message.content = content
            message.editedAt = editedAt
            retaining(lobby, in: &state) {
                lobby.replace(at: position, with: message)
                lobby.publish { _ in
                    .edit(Components.Schemas.MessageEdit(id: messageId, seq: message.seq, room: room, content: content, editedAt: editedAt))
                }
            }
            return message
        }
    }

    func delete(_ room: String, messageId: String, userId: String) throws(ChatError) -> Components.Schemas.Message {
        try state.withLock { state throws(ChatError) in
            let (lobby, position) = try authored(messageId, in: room, by: userId, state)
            var message = lobby.messages[position]
            guard message.deleted != true else { return message }
            guard lobby.fanout.delivery.backlog < limits.maxDeliveryBacklog else { throw .lobbyBusy(room) }
            message.content = ""
            message.deleted = true
            retaining(lobby, in: &state) {
                lobby.replace(at: position, with: message)
                lobby.index.deleted(message.seq)
                lobby.publish { _ in .delete(Components.Schemas.MessageDeletion(id: messageId, seq: message.seq, room: room)) }
            }
            state.readings.deletedOwn(userId, room, seq: message.seq)
            return message
        }
    }

    /// The lobby and the position of `messageId` in it, checked in the documented order: the
    /// lobby, the user, membership, the message, its author.
    private func authored(
        _ messageId: String, in room: String, by userId: String, _ state: State
    ) throws(ChatError) -> (StoredLobby, Int) {
        guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
        guard state.users[userId] != nil else { throw .userNotFound(userId) }
        guard lobby.isMember(userId) else { throw .notAMember(userId: userId, room: room) }
        guard let position = lobby.position(ofMessage: messageId) else { throw .messageNotFound(id: messageId, room: room) }
        guard lobby.messages[position].userId == userId else { throw .notTheAuthor(messageId: messageId, userId: userId) }
        return (lobby, position)
    }
}
