/// What a store tells operators: whether it can take work (`/readyz`) and what it holds open
/// (`/metrics`). Read on a scrape or a probe, never on a request's path.
protocol StoreObservation: Sendable {
    /// Whether the store can take work now: always for memory; for PostgreSQL, connected and
    /// caught up.
    var isReady: Bool { get }
    /// The number of open streams of each lobby that has any, in this process.
    func streamsPerLobby() -> [Int]
    /// The database engine's connections, for a store that has one.
    var engine: EngineStatus? { get }
}

/// The state of a store's database connections.
struct EngineStatus: Sendable, Equatable {
    /// Every connection (statements and the listener) is up.
    var isConnected: Bool
    /// Connections made again after breaking, since start.
    var reconnects: Int
}
