/// User streams in PostgreSQL: a join is announced on the events channel as
/// `room joined userId seq` (in the join's own statement), so the user's streams on every
/// instance follow the lobby from that event, whichever instance took the join.
extension PostgresChatStore {
    func memberships(of userId: String) async throws(ChatError) -> [Membership] {
        let rows = try await query(
            """
            SELECT m.room, l.last_seq,
                   (SELECT max(e.seq) FROM events e WHERE e.room = m.room AND e.kind = 'join' AND e.user_id = $1) AS join_seq
            FROM members m JOIN lobbies l ON l.room = m.room WHERE m.user_id = $1 ORDER BY m.position
            """, [userId])
        if rows.rows.isEmpty, try await query("SELECT 1 FROM users WHERE id = $1", [userId]).rows.isEmpty { throw .userNotFound(userId) }
        return rows.rows.compactMap { row in
            guard let room = row[0], let lastSeq = row[1].flatMap({ Int($0) }) else { return nil }
            // A join no longer in the table: from the start, which the lobby answers with resync.
            return Membership(room: room, joinSeq: row[2].flatMap { Int($0) } ?? 0, lastSeq: lastSeq)
        }
    }

    /// Hands the join notice `payload` to the user's streams here; false when the payload is
    /// not one.
    static func deliverJoin(_ payload: String, to userStreams: UserStreams) -> Bool {
        let parts = payload.split(separator: " ")
        guard parts.count == 4, parts[1] == "joined", let seq = Int(parts[3]) else { return false }
        userStreams.joined(String(parts[0]), userId: String(parts[2]), seq: seq)
        return true
    }
}
