extension MemoryChatStore: StoreObservation {
    /// Memory is always there.
    var isReady: Bool { true }

    func streamsPerLobby() -> [Int] {
        state.withLock { state in state.lobbies.values.map(\.subscribers.count).filter { $0 > 0 } }
    }

    var engine: EngineStatus? { nil }
}
