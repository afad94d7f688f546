import ChatAPI

/// Read positions and unread counts in memory, from `State.readings` (kept by join, leave and
/// post). An unread count is two binary searches: O(log m) in a lobby retaining m messages.
extension MemoryChatStore {
    func markRead(_ room: String, userId: String, seq: Int) throws(ChatError) -> Components.Schemas.LobbyReading {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard state.users[userId] != nil else { throw .userNotFound(userId) }
            guard let membership = state.readings.read(userId, room, upTo: min(seq, lobby.lastSeq)) else {
                throw .notAMember(userId: userId, room: room)
            }
            return reading(room, lobby, membership)
        }
    }

    func readings(of userId: String, limit: Int, after: String?) throws(ChatError) -> Page<Components.Schemas.LobbyReading> {
        try state.withLock { state throws(ChatError) in
            guard state.users[userId] != nil else { throw .userNotFound(userId) }
            let page = state.readings.memberships(of: userId, limit: limit, after: after)
            let items = page.items.compactMap { room, membership in
                state.lobbies[room].map { reading(room, $0, membership) }
            }
            return Page(items: items, next: page.next)
        }
    }

    /// The lobby as a member reads it. Unread: the retained messages after the read position,
    /// less the member's own and the deleted among them (each counted by binary search; a
    /// deleted message of the member's own is no longer among their own), at most
    /// `ChatLimits.maxUnreadCounted` as on PostgreSQL.
    private func reading(_ room: String, _ lobby: StoredLobby, _ membership: MemberReadings.Membership) -> Components.Schemas.LobbyReading {
        let messages = lobby.messages
        let after = messages.countAfter(membership.readSeq) { $0.seq }
        // Own seqs older than the oldest retained message are no longer among `messages`.
        let ownBound = max(membership.readSeq, (messages.first?.seq ?? Int.max) - 1)
        let own = membership.ownSeqs.countAfter(ownBound) { $0 }
        let deleted = lobby.index.deletedCount(after: membership.readSeq)
        return Components.Schemas.LobbyReading(
            room: room, createdAt: lobby.createdAt, lastSeq: lobby.lastSeq, readSeq: membership.readSeq,
            unread: min(limits.maxUnreadCounted, max(0, after - own - deleted)))
    }
}
