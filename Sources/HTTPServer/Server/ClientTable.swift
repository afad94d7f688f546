/// What each client holds: its connections (and which of them are idle, since when) and its
/// open streams. A plain value, no locks and no clock (instants are passed in), kept by
/// `ConnectionRegistry` behind its lock. It decides which connection to shed, never sheds.
struct ClientTable {
    /// One client's share.
    struct Entry {
        /// Open connections whose peer is this client.
        var connections = 0
        /// Those of them waiting for a request with nothing received, by id, and since when.
        var idle: [UInt64: MonotonicInstant] = [:]
    }

    private(set) var entries: [ClientID: Entry] = [:]
    /// Open streams by the client that asked for them (behind a proxy, the one it names).
    private(set) var streams: [ClientID: Int] = [:]

    /// Connections `client` has open.
    func connections(of client: ClientID) -> Int { entries[client]?.connections ?? 0 }

    /// Streams `client` has open.
    func streams(of client: ClientID) -> Int { streams[client] ?? 0 }

    /// Counts a new connection of `client`.
    mutating func opened(_ client: ClientID) {
        entries[client, default: Entry()].connections += 1
    }

    /// Forgets connection `id` of `client`.
    mutating func closed(_ id: UInt64, of client: ClientID) {
        guard var entry = entries[client] else { return }
        entry.connections -= 1
        entry.idle[id] = nil
        entries[client] = entry.connections > 0 ? entry : nil
    }

    /// Connection `id` of `client` waits for a request since `now`. Returns the connection to
    /// shed when the client now holds more than `maxIdle` idle ones (0: no bound): its idlest.
    mutating func becameIdle(_ id: UInt64, of client: ClientID, now: MonotonicInstant, maxIdle: Int) -> UInt64? {
        guard entries[client] != nil else { return nil }
        entries[client]!.idle[id] = now
        guard maxIdle > 0, entries[client]!.idle.count > maxIdle else { return nil }
        return takeIdlest(of: client)
    }

    /// Connection `id` of `client` is working on a request (or closing).
    mutating func becameBusy(_ id: UInt64, of client: ClientID) {
        entries[client]?.idle[id] = nil
    }

    /// For a newcomer at the connection cap: the idlest connection of the client with the most
    /// connections among those that have an idle one, taken out of the idle set (so it is not
    /// picked twice); nil when no connection is idle.
    mutating func takeSheddingVictim() -> UInt64? {
        var heaviest: (client: ClientID, connections: Int)?
        for (client, entry) in entries where !entry.idle.isEmpty && entry.connections > (heaviest?.connections ?? 0) {
            heaviest = (client, entry.connections)
        }
        return heaviest.flatMap { takeIdlest(of: $0.client) }
    }

    /// Reserves a stream for `client` unless it holds `limit` (0: no bound); whether it may.
    mutating func reserveStream(for client: ClientID, limit: Int) -> Bool {
        let open = streams[client] ?? 0
        guard limit == 0 || open < limit else { return false }
        streams[client] = open + 1
        return true
    }

    /// A stream of `client` closed.
    mutating func releaseStream(of client: ClientID) {
        let left = (streams[client] ?? 1) - 1
        streams[client] = left > 0 ? left : nil
    }

    private mutating func takeIdlest(of client: ClientID) -> UInt64? {
        guard let idlest = entries[client]?.idle.min(by: { $0.value < $1.value })?.key else { return nil }
        entries[client]!.idle[idlest] = nil
        return idlest
    }
}
