extension MemoryChatStore: StoreObservation {
    /// Memory is always there.
    var isReady: Bool { true }

    /// Kept as streams open and close (`LobbyFanout.subscribers`), never counted by visiting lobbies.
    func lobbiesByStreams() -> [Int] {
        lobbySizes.cumulative()
    }

    var engine: EngineStatus? { nil }
}
