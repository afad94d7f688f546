extension PostgresChatStore: StoreObservation {
    /// Connected (statement pool and listener), and no followed lobby waiting to read events
    /// it was woken for: after a reconnect it is ready once every lobby has caught up.
    var isReady: Bool {
        isConnected && !followedLobbies.contains { $0.isBehind }
    }

    func streamsPerLobby() -> [Int] {
        followedLobbies.map(\.subscriberCount).filter { $0 > 0 }
    }

    var engine: EngineStatus? {
        EngineStatus(isConnected: isConnected, reconnects: pool.reconnectCount + listener.reconnectCount)
    }

    /// The followers, copied out so that no follower's lock is taken under the map's.
    private var followedLobbies: [LobbyFollower] {
        followers.byRoom.withLock { Array($0.values) }
    }
}
