/// How many streams each user holds open on one lobby, on this instance: `LobbyFanout` opens
/// and closes here as it admits and forgets streams (of any kind), and the 0↔1 transitions go
/// to the store's `PresenceTracker`, which debounces them. Serialized by the fan-out's owner.
struct LobbyPresence {
    private var streams: [String: Int] = [:]

    /// Counts a stream of `userId`; true when it is their first (they came online here).
    mutating func open(_ userId: String) -> Bool {
        streams[userId, default: 0] += 1
        return streams[userId] == 1
    }

    /// Forgets a stream of `userId`; true when it was their last (they went offline here).
    mutating func close(_ userId: String) -> Bool {
        guard let count = streams[userId] else { return false }
        if count > 1 {
            streams[userId] = count - 1
            return false
        }
        streams[userId] = nil
        return true
    }

    /// How many streams `userId` holds open.
    func streams(of userId: String) -> Int { streams[userId] ?? 0 }

    /// How many users hold at least one stream.
    var users: Int { streams.count }
}

/// Where a lobby's fan-out reports that a user's first stream opened or last one closed on
/// this instance. Called under the fan-out owner's lock: it must not block nor call back.
protocol PresenceObserver: Sendable {
    func streamsChanged(room: String, userId: String, open: Bool)
}
