import EventLoop
import Synchronization

/// The server's open connections, so it can count them, bound them (in all and per client),
/// shed idle ones to make room, and shut them down.
final class ConnectionRegistry: Sendable {
    /// What became of a new connection.
    enum Admission {
        /// Registered; `shed` (if any) is an idle connection to close to make room for it, with
        /// the grace a head it may be receiving has (`Connection.shed(headGrace:)`).
        case admitted(Connection, shed: (connection: Connection, headGrace: Duration)?)
        /// Shutdown began.
        case refusedShuttingDown
        /// At the connection limit, and no connection is idle.
        case refusedAtLimit
        /// Its client holds `HTTPLimits.maxConnectionsPerClient` connections.
        case refusedClientAtLimit
    }

    private struct State {
        var connections: [UInt64: Connection] = [:]
        var clients = ClientTable()
        /// The most connections open at once since `crowdLeft` last said yes.
        var highWater = 0
        /// Connections named for shedding at the cap that have not yet closed or declined.
        var shedsInFlight = 0
        var nextID: UInt64 = 0
        var isDraining = false
        var emptyWaiters: [@Sendable () -> Void] = []
        /// During shutdown: the connections that may still start a request.
        var unsettled: Set<UInt64> = []
        var settledWaiters: [@Sendable () -> Void] = []

        /// The next connection to shed at the cap (`ClientTable.takeSheddingVictim`), counted
        /// in `shedsInFlight`; nil when none is sheddable.
        mutating func takeSheddingVictim(now: MonotonicInstant) -> (connection: Connection, headGrace: Duration)? {
            while let victim = clients.takeSheddingVictim(now: now) {
                guard let connection = connections[victim.id] else { continue }
                shedsInFlight += 1
                return (connection, victim.headGrace)
            }
            return nil
        }

        /// Counts `id` as settled; returns the waiters to run when it was the last one.
        mutating func settle(_ id: UInt64) -> [@Sendable () -> Void] {
            guard unsettled.remove(id) != nil, unsettled.isEmpty else { return [] }
            defer { settledWaiters = [] }
            return settledWaiters
        }
    }

    private let state = Mutex(State())

    /// Open connections.
    var count: Int { state.withLock { $0.connections.count } }

    /// Open connections of counted clients that wait for a request, as last reported.
    var idleCount: Int { state.withLock { $0.clients.entries.values.reduce(0) { $0 + $1.idle.count } } }

    /// Of those, the ones receiving a request head, as last reported.
    var stalledHeadCount: Int { state.withLock { $0.clients.entries.values.reduce(0) { $0 + $1.stalledHeads.count } } }

    /// Makes and registers a connection of `client` (nil: not counted per client) with a fresh
    /// id, within `limits`. At `maxConnections` the idlest connection of the heaviest client is
    /// named for shedding (hand it to `shed(_:limits:)`) and the newcomer admitted; the count
    /// passes the limit by the sheds still on their way.
    func add(client: ClientID?, limits: HTTPLimits, now: MonotonicInstant, _ make: (UInt64) -> Connection) -> Admission {
        state.withLock { state in
            guard !state.isDraining else { return .refusedShuttingDown }
            if let client, limits.maxConnectionsPerClient > 0,
                state.clients.connections(of: client) >= limits.maxConnectionsPerClient {
                return .refusedClientAtLimit
            }
            var shed: (connection: Connection, headGrace: Duration)?
            if state.connections.count >= limits.maxConnections {
                guard let victim = state.takeSheddingVictim(now: now) else { return .refusedAtLimit }
                shed = victim
            }
            state.nextID += 1
            let connection = make(state.nextID)
            state.connections[connection.id] = connection
            state.highWater = max(state.highWater, state.connections.count)
            if let client { state.clients.opened(client) }
            return .admitted(connection, shed: shed)
        }
    }

    /// Sheds `victim`, named by `add` at the cap. A victim that a request reached first stays
    /// open; then, while the connections less the sheds still on their way are over the limit,
    /// the next victim goes instead, so the count comes back to the limit.
    func shed(_ victim: (connection: Connection, headGrace: Duration), limits: HTTPLimits) {
        victim.connection.shed(headGrace: victim.headGrace) { [self] closed in
            let next = state.withLock { state -> (connection: Connection, headGrace: Duration)? in
                state.shedsInFlight -= 1
                guard !closed, state.connections.count - state.shedsInFlight > limits.maxConnections else { return nil }
                return state.takeSheddingVictim(now: Connection.now())
            }
            if let next { shed(next, limits: limits) }
        }
    }

    /// `connection` (of a counted client) waits for a request since `idleSince` (`unused`: its
    /// first; `headStalled`: it is receiving a head, since then), or (nil) no longer waits.
    /// Returns a connection of the same client to shed, past `maxIdle` unused ones.
    func idleChanged(
        _ connection: Connection, client: ClientID, idleSince: MonotonicInstant?, unused: Bool, headStalled: Bool = false,
        now: MonotonicInstant, maxIdle: Int
    ) -> Connection? {
        state.withLock { state in
            guard let idleSince else {
                state.clients.becameBusy(connection.id, of: client)
                return nil
            }
            if headStalled {
                state.clients.headStarted(connection.id, of: client, since: idleSince)
                return nil
            }
            return state.clients.becameIdle(
                connection.id, of: client, since: idleSince, now: now, unused: unused, maxIdle: maxIdle).flatMap { state.connections[$0] }
        }
    }

    /// Counts a stream of `client` unless it holds `limit` (0: no bound); whether it may start.
    func reserveStream(for client: ClientID, limit: Int) -> Bool {
        state.withLock { $0.clients.reserveStream(for: client, limit: limit) }
    }

    /// A stream counted by `reserveStream` ended.
    func releaseStream(of client: ClientID) {
        state.withLock { $0.clients.releaseStream(of: client) }
    }

    /// Forgets a closed connection (which has settled, if shutdown began after it said so).
    func remove(_ connection: Connection) {
        let waiters = state.withLock { state -> [@Sendable () -> Void] in
            state.connections[connection.id] = nil
            if let client = connection.client { state.clients.closed(connection.id, of: client) }
            var waiters = state.settle(connection.id)
            if state.connections.isEmpty {
                waiters += state.emptyWaiters
                state.emptyWaiters = []
            }
            return waiters
        }
        for waiter in waiters { waiter() }
    }

    /// Whether at least `threshold` connections have closed since the most were open; the mark
    /// then starts again from the connections open now.
    func crowdLeft(threshold: Int) -> Bool {
        state.withLock { state in
            guard state.highWater - state.connections.count >= threshold else { return false }
            state.highWater = state.connections.count
            return true
        }
    }

    /// Whether shutdown began (new connections are refused).
    var isDraining: Bool { state.withLock { $0.isDraining } }

    /// Refuses new connections from now on; returns the open ones, which from now on count
    /// as unsettled until `settle` is called for each.
    func beginDraining() -> [Connection] {
        state.withLock { state in
            state.isDraining = true
            state.unsettled = Set(state.connections.keys)
            return Array(state.connections.values)
        }
    }

    /// During shutdown, `connection` can no longer start a request.
    func settle(_ connection: Connection) {
        let waiters = state.withLock { $0.settle(connection.id) }
        for waiter in waiters { waiter() }
    }

    /// Runs `waiter` once every connection open at `beginDraining` has settled (at once if all have).
    func whenSettled(_ waiter: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            guard !state.unsettled.isEmpty else { return true }
            state.settledWaiters.append(waiter)
            return false
        }
        if runNow { waiter() }
    }

    /// The open connections.
    var all: [Connection] { state.withLock { Array($0.connections.values) } }

    /// Runs `waiter` once no connection is open (at once if none is).
    func whenEmpty(_ waiter: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            guard !state.connections.isEmpty else { return true }
            state.emptyWaiters.append(waiter)
            return false
        }
        if runNow { waiter() }
    }
}
