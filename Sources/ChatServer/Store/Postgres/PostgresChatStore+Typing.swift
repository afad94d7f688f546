import APIRuntime
import ChatAPI

/// Typing in PostgreSQL: nothing is written. Membership is read from `members`, then the
/// event goes out as a `NOTIFY` on the channel every instance's listener follows (this one's
/// too), whose payload `room typing userId name` tells it from an event's `room seq`; each
/// instance hands it to the lobby's follower, if it has local streams.
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
        _ = try await query("SELECT pg_notify($1, $2)", [PostgresSchema.channel(configuration.schema), "\(room) typing \(userId) \(name)"])
    }

    /// Delivers the typing notice `payload` to the local streams of its lobby; false when the
    /// payload is not one (an event's `room seq`).
    static func deliverTyping(_ payload: String, to followers: Followers) -> Bool {
        let parts = payload.split(separator: " ", maxSplits: 3)
        guard parts.count == 4, parts[1] == "typing" else { return false }
        let room = String(parts[0])
        let userId = String(parts[2])
        guard let follower = followers.byRoom.withLock({ $0[room] }),
            let frame = EncodedEvent.typing(room: room, userId: userId, name: String(parts[3]))
        else { return true }
        follower.deliverEphemeral(frame, excluding: userId)
        return true
    }
}
