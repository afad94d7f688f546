/// What a store tells operators: whether it can take work (`/readyz`) and what it holds open
/// (`/metrics`). Read on a scrape or a probe, never on a request's path.
protocol StoreObservation: Sendable {
    /// Whether the store can take work now: always for memory; for PostgreSQL, connected and
    /// caught up.
    var isReady: Bool { get }
    /// Lobbies of this process with at most each of `LobbySizeTally.bounds` open streams (and
    /// at least one), then with any: read at every scrape, so it must not visit every lobby.
    func lobbiesByStreams() -> [Int]
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
