extension MemoryChatStore {
    func memberships(of userId: String) throws(ChatError) -> [Membership] {
        try state.withLock { state throws(ChatError) in
            guard state.users[userId] != nil else { throw .userNotFound(userId) }
            return state.readings.memberships(of: userId, limit: Int.max, after: nil).items.compactMap { room, membership in
                state.lobbies[room].map { Membership(room: room, joinSeq: membership.joinSeq, lastSeq: $0.lastSeq) }
            }
        }
    }
}
