extension PostgresChatStore: StoreObservation {
    /// Connected (statement pool and listener), and no followed lobby waiting to read events
    /// it was woken for: after a reconnect it is ready once every lobby has caught up.
    var isReady: Bool {
        isConnected && !followedLobbies.contains { $0.isBehind }
    }

    /// Visits only the lobbies with streams here (each has a follower), never the table.
    func lobbiesByStreams() -> [Int] {
        LobbySizeTally.cumulative(of: followedLobbies.map(\.subscriberCount))
    }

    var engine: EngineStatus? {
        EngineStatus(isConnected: isConnected, reconnects: pool.reconnectCount + listener.reconnectCount)
    }

    /// The followers, copied out so that no follower's lock is taken under the map's.
    private var followedLobbies: [LobbyFollower] {
        followers.byRoom.withLock { Array($0.values) }
    }
}
