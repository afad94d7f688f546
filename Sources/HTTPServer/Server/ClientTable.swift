import EventLoop

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
        /// Those idle ones that have not sent a request yet (opened and silent since).
        var unused: Set<UInt64> = []
        /// Those idle ones that are in fact receiving a request head, since their instant in
        /// `idle`: sheddable at the cap only once it is `silenceGrace` old (or
        /// `crowdedHeadGrace`, when there are several).
        var stalledHeads: Set<UInt64> = []
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
        entry.unused.remove(id)
        entry.stalledHeads.remove(id)
        entries[client] = entry.connections > 0 ? entry : nil
    }

    /// How long a new connection may stay silent before it counts against the idle bound: a
    /// client that opens many at once sends on each a moment later, and a loaded server may not
    /// have read those requests yet.
    static let silenceGrace: Duration = .seconds(2)

    /// Connection `id` of `client` waits for a request since `since` (`unused`: its first).
    /// Returns the connection to shed when the client now holds more than `maxIdle` unused ones
    /// silent for `silenceGrace` by `now` (0: no bound): the idlest of those. A kept-alive
    /// connection is never shed for this bound: its client may be sending on it as it closes,
    /// and that request would be lost; the idle timeout and the shedding at the connection cap
    /// take care of those.
    mutating func becameIdle(
        _ id: UInt64, of client: ClientID, since: MonotonicInstant, now: MonotonicInstant, unused: Bool, maxIdle: Int
    ) -> UInt64? {
        guard entries[client] != nil else { return nil }
        entries[client]!.idle[id] = since
        entries[client]!.stalledHeads.remove(id)
        guard unused else {
            // Served a request since it was last reported (without a busy report between).
            entries[client]!.unused.remove(id)
            return nil
        }
        entries[client]!.unused.insert(id)
        guard maxIdle > 0, let entry = entries[client], entry.unused.count > maxIdle else { return nil }
        let silent = entry.unused.filter { entry.idle[$0].map { $0 + Self.silenceGrace <= now } ?? false }
        guard silent.count > maxIdle else { return nil }
        return takeIdlest(of: client, among: silent)
    }

    /// Connection `id` of `client` has received part of a request head since `since` (and
    /// nothing answerable yet): not idle, but a client that sends heads slowly must not hold
    /// the connection cap with them, so at the cap it is shed as an idle one once it has been
    /// at it for `silenceGrace` (the header timeout, 10 s, would free it only much later).
    mutating func headStarted(_ id: UInt64, of client: ClientID, since: MonotonicInstant) {
        guard entries[client] != nil else { return }
        entries[client]!.idle[id] = since
        entries[client]!.unused.remove(id)
        entries[client]!.stalledHeads.insert(id)
    }

    /// Connection `id` of `client` is working on a request (or closing).
    mutating func becameBusy(_ id: UInt64, of client: ClientID) {
        entries[client]?.idle[id] = nil
        entries[client]?.unused.remove(id)
        entries[client]?.stalledHeads.remove(id)
    }

    /// How long a head may be arriving before it is sheddable at the cap when its client is
    /// sending several heads at once: one slow head may be a slow link and has `silenceGrace`;
    /// a client with many heads in flight on a full server is holding its connections, and a
    /// newcomer would otherwise be refused for the whole `silenceGrace`. The most it gets; see
    /// `headGrace(stalledHeads:)`.
    static let crowdedHeadGrace: Duration = .milliseconds(250)

    /// The grace of each head of a client receiving `count` heads at once: `silenceGrace` for
    /// one; for several they share it (`silenceGrace / count`, at most `crowdedHeadGrace`), so
    /// a client holding fifty heads open keeps a newcomer out for 40 ms, not 250.
    static func headGrace(stalledHeads count: Int) -> Duration {
        count > 1 ? min(crowdedHeadGrace, silenceGrace / count) : silenceGrace
    }

    /// A connection picked to shed, and how long a head it may be receiving by then must have
    /// been arriving for it to go (`Connection.shed(headGrace:)`): `headGrace(stalledHeads:)`
    /// for one picked as one of its client's several stalled heads; else `silenceGrace`, since
    /// one the table knows as idle may have begun a head it has not reported yet.
    struct Victim: Equatable {
        var id: UInt64
        var headGrace: Duration
    }

    /// For a newcomer at the connection cap at `now`: the idlest sheddable connection (idle,
    /// or a head stalled for `headGrace(stalledHeads:)` of its client's count)
    /// of the client with the most connections among those that have one, taken out of the
    /// idle set (so it is not picked twice); nil when none is.
    mutating func takeSheddingVictim(now: MonotonicInstant) -> Victim? {
        var heaviest: (client: ClientID, connections: Int, sheddable: Set<UInt64>, headGrace: Duration)?
        for (client, entry) in entries where !entry.idle.isEmpty && entry.connections > (heaviest?.connections ?? 0) {
            let grace = Self.headGrace(stalledHeads: entry.stalledHeads.count)
            let sheddable = Set(entry.idle.keys.filter { id in
                !entry.stalledHeads.contains(id) || entry.idle[id].map { $0 + grace <= now } == true
            })
            if !sheddable.isEmpty { heaviest = (client, entry.connections, sheddable, grace) }
        }
        guard let heaviest else { return nil }
        let stalledHeads = entries[heaviest.client]?.stalledHeads ?? []
        guard let id = takeIdlest(of: heaviest.client, among: heaviest.sheddable) else { return nil }
        return Victim(id: id, headGrace: stalledHeads.contains(id) ? heaviest.headGrace : Self.silenceGrace)
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

    private mutating func takeIdlest(of client: ClientID, among: Set<UInt64>? = nil) -> UInt64? {
        guard let entry = entries[client] else { return nil }
        let candidates = among.map { among in entry.idle.filter { among.contains($0.key) } } ?? entry.idle
        guard let idlest = candidates.min(by: { $0.value < $1.value })?.key else { return nil }
        entries[client]!.idle[idlest] = nil
        entries[client]!.unused.remove(idlest)
        entries[client]!.stalledHeads.remove(idlest)
        return idlest
    }
}
