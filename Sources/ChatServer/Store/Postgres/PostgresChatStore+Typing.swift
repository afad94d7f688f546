import APIRuntime
import ChatAPI

/// Typing in PostgreSQL: nothing is written. Membership is read from `members`, then the
/// event goes out as a `NOTIFY` on the channel every instance's listener follows, whose payload
/// `room typing userId instance millis name` tells it from an event's `room seq`; each other
/// instance hands it to the lobby's follower, if it has local streams. This instance delivers
/// it at once instead, so its streams get it before anything the typer does next (a post is
/// delivered here as soon as it commits). `millis` is the database's clock: every follower
/// shows at most one notice per user each 2 s by it (`TypingWindow`), so a request that another
/// instance's throttle let through within that time is shown nowhere.
extension PostgresChatStore {
    func typing(_ room: String, userId: String, admit: () -> Bool) async throws(ChatError) {
        let rows = try await query(
            """
            SELECT EXISTS (SELECT 1 FROM lobbies WHERE room = $1) AS lobby,
                (SELECT name FROM users WHERE id = $2) AS name,
                EXISTS (SELECT 1 FROM members WHERE room = $1 AND user_id = $2) AS member
            """, [room, userId])
        guard rows.first("lobby") == "t" else { throw .lobbyNotFound(room) }
        guard let name = rows.first("name") else { throw .userNotFound(userId) }
        guard rows.first("member") == "t" else { throw .notAMember(userId: userId, room: room) }
        guard admit() else { return }
        let stamped = try await query(
            """
            WITH now AS (SELECT (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS millis)
            SELECT millis, pg_notify($1, $2 || ' ' || millis || ' ' || $3) FROM now
            """, [PostgresSchema.channel(configuration.schema), "\(room) typing \(userId) \(presence.instance)", name])
        guard let millis = stamped.first("millis").flatMap({ Int64($0) }),
            let follower = follower(room),
            let frame = EncodedEvent.typing(room: room, userId: userId, name: name)
        else { return }
        follower.deliverTyping(frame, userId: userId, at: millis)
    }

    /// Delivers the typing notice `payload` to the local streams of its lobby, unless this
    /// instance (`instance`) sent it; false when the payload is not one (an event's `room seq`).
    static func deliverTyping(_ payload: String, to followers: Followers, instance: String) -> Bool {
        let parts = payload.split(separator: " ", maxSplits: 5)
        guard parts.count == 6, parts[1] == "typing" else { return false }
        guard parts[3] != instance else { return true }
        let room = String(parts[0])
        let userId = String(parts[2])
        guard let millis = Int64(parts[4]),
            let follower = followers.byRoom.withLock({ $0[room] }),
            let frame = EncodedEvent.typing(room: room, userId: userId, name: String(parts[5]))
        else { return true }
        follower.deliverTyping(frame, userId: userId, at: millis)
        return true
    }
}
