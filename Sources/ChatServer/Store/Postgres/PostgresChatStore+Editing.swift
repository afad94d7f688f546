import ChatAPI

/// Editing and deleting one's own messages in PostgreSQL (migration 5): `chat_change_message`
/// changes the message's row and appends the `edit` or `delete` event in one transaction, and
/// announces it; every instance's follower reads it from the table like any other event.
extension PostgresChatStore {
    func edit(_ room: String, messageId: String, userId: String, content: String) async throws(ChatError) -> Components.Schemas.Message {
        try checkEdit(of: content)
        return try await change(room, messageId: messageId, userId: userId, content: content)
    }

    func delete(_ room: String, messageId: String, userId: String) async throws(ChatError) -> Components.Schemas.Message {
        try await change(room, messageId: messageId, userId: userId, content: nil)
    }

    /// Edits (`content`) or deletes (nil) the message, and answers it as it is after.
    private func change(_ room: String, messageId: String, userId: String, content: String?) async throws(ChatError) -> Components.Schemas.Message {
        if let follower = followers.byRoom.withLock({ $0[room] }), follower.delivery.backlog >= limits.maxDeliveryBacklog { throw .lobbyBusy(room) }
        let rows = try await query(
            """
            SELECT outcome, event_seq, message_seq, author_name, body, posted_at, changed_at, is_deleted
            FROM chat_change_message($1, $2, $3, $4, $5)
            """, [room, userId, messageId, content, Timestamp.rfc3339(now())])
        switch rows.first("outcome") {
        case "no-lobby": throw .lobbyNotFound(room)
        case "no-user": throw .userNotFound(userId)
        case "not-member": throw .notAMember(userId: userId, room: room)
        case "no-message": throw .messageNotFound(id: messageId, room: room)
        case "not-author": throw .notTheAuthor(messageId: messageId, userId: userId)
        case "deleted": throw .messageDeleted(messageId)
        case let outcome?:
            guard let seq = rows.first("message_seq").flatMap({ Int($0) }), let name = rows.first("author_name"),
                let body = rows.first("body"), let sentAt = rows.first("posted_at")
            else { break }
            if outcome == "changed", let eventSeq = rows.first("event_seq").flatMap({ Int($0) }) {
                followers.byRoom.withLock { $0[room] }?.notify(upTo: eventSeq)
            }
            return Components.Schemas.Message(
                id: messageId, seq: seq, room: room, userId: userId, name: name, content: body, sentAt: sentAt,
                editedAt: rows.first("changed_at"), deleted: rows.first("is_deleted") == "t" ? true : nil)
        case nil: break
        }
        throw .storeFailed("chat_change_message answered \(rows.first("outcome") ?? "nothing")")
    }
}
