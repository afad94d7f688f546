import ChatAPI

/// Presence in PostgreSQL: who is online is read from `presence`, counting only instances
/// whose heartbeat is within the expiry (a killed instance's users drop out with it). Ids
/// compare bytewise (`COLLATE "C"`), as the memory store and the cursor do.
extension PostgresChatStore {
    func presence(_ room: String, limit: Int, after: String?) async throws(ChatError) -> (online: Int, users: Page<Components.Schemas.User>) {
        let live = """
            SELECT DISTINCT p.user_id FROM presence p JOIN presence_instances i ON i.id = p.instance
            WHERE p.room = $1 AND i.seen_at > now() - make_interval(secs => $2)
            """
        let expiry = String(limits.presence.instanceExpiry.seconds)
        let counted = try await query(
            "SELECT EXISTS (SELECT 1 FROM lobbies WHERE room = $1) AS lobby, (SELECT count(*) FROM (\(live)) ids) AS online", [room, expiry])
        guard counted.first("lobby") == "t" else { throw .lobbyNotFound(room) }
        let rows = try await query("""
            SELECT u.id, u.name FROM users u JOIN (\(live)) ids ON ids.user_id = u.id
            WHERE u.id COLLATE "C" > $3 ORDER BY u.id COLLATE "C" LIMIT $4
            """, [room, expiry, after ?? "", String(limit + 1)])
        let page = Self.page(rows.rows, limit: limit, cursorColumn: 0) { row -> Components.Schemas.User? in
            guard let id = row[0], let name = row[1] else { return nil }
            return Components.Schemas.User(id: id, name: name)
        }
        return (Int(counted.first("online") ?? "0") ?? 0, page)
    }
}
