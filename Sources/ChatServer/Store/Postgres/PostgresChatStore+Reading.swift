import ChatAPI

/// Read positions and unread counts in PostgreSQL (`read_positions`, migration 4). Each unread
/// count is an index-only range scan of `messages_by_room` over the messages after the read
/// position, stopped at `ChatLimits.maxUnreadCounted`: never the lobby's whole history.
extension PostgresChatStore {
    func markRead(_ room: String, userId: String, seq: Int) async throws(ChatError) -> Components.Schemas.LobbyReading {
        let rows = try await query(
            "SELECT outcome, created_at, last_seq, read_seq, unread FROM chat_mark_read($1, $2, $3, $4)",
            [room, userId, String(seq), String(limits.maxUnreadCounted)])
        switch rows.first("outcome") {
        case "no-lobby": throw .lobbyNotFound(room)
        case "no-user": throw .userNotFound(userId)
        case "not-member": throw .notAMember(userId: userId, room: room)
        case "read":
            guard let createdAt = rows.first("created_at"), let lastSeq = rows.first("last_seq").flatMap({ Int($0) }),
                let readSeq = rows.first("read_seq").flatMap({ Int($0) }), let unread = rows.first("unread").flatMap({ Int($0) })
            else { break }
            return Components.Schemas.LobbyReading(room: room, createdAt: createdAt, lastSeq: lastSeq, readSeq: readSeq, unread: unread)
        default: break
        }
        throw .storeFailed("chat_mark_read answered \(rows.first("outcome") ?? "nothing")")
    }

    func readings(of userId: String, limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.LobbyReading> {
        let rows = try await query(
            """
            SELECT l.room, l.created_at, l.last_seq, coalesce(r.seq, 0), chat_unread(l.room, m.user_id, coalesce(r.seq, 0), $4), m.position
            FROM members m JOIN lobbies l ON l.room = m.room
            LEFT JOIN read_positions r ON r.room = m.room AND r.user_id = m.user_id
            WHERE m.user_id = $1 AND m.position > $2 ORDER BY m.position LIMIT $3
            """, [userId, String(PageCursor.position(after)), String(limit + 1), String(limits.maxUnreadCounted)])
        if rows.rows.isEmpty, try await query("SELECT 1 FROM users WHERE id = $1", [userId]).rows.isEmpty { throw .userNotFound(userId) }
        return Self.page(rows.rows, limit: limit, cursorColumn: 5) { row in
            guard let room = row[0], let createdAt = row[1], let lastSeq = row[2].flatMap({ Int($0) }),
                let readSeq = row[3].flatMap({ Int($0) }), let unread = row[4].flatMap({ Int($0) })
            else { return nil }
            return Components.Schemas.LobbyReading(room: room, createdAt: createdAt, lastSeq: lastSeq, readSeq: readSeq, unread: unread)
        }
    }
}
