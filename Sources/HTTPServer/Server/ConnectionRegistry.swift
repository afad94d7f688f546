import Synchronization

/// The server's open connections, so it can count them, bound them and shut them down.
final class ConnectionRegistry: Sendable {
    private struct State {
        var connections: [UInt64: Connection] = [:]
        var nextID: UInt64 = 0
        var isDraining = false
        var emptyWaiters: [@Sendable () -> Void] = []
        /// During shutdown: the connections that may still start a request.
        var unsettled: Set<UInt64> = []
        var settledWaiters: [@Sendable () -> Void] = []

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

    /// Makes and registers a connection with a fresh id, unless `limit` connections are open
    /// or shutdown began; returns nil then.
    func add(limit: Int, _ make: (UInt64) -> Connection) -> Connection? {
        state.withLock { state in
            guard !state.isDraining, state.connections.count < limit else { return nil }
            state.nextID += 1
            let connection = make(state.nextID)
            state.connections[connection.id] = connection
            return connection
        }
    }

    /// Forgets a closed connection (which has settled, if shutdown began after it said so).
    func remove(_ connection: Connection) {
        let waiters = state.withLock { state -> [@Sendable () -> Void] in
            state.connections[connection.id] = nil
            var waiters = state.settle(connection.id)
            if state.connections.isEmpty {
                waiters += state.emptyWaiters
                state.emptyWaiters = []
            }
            return waiters
        }
        for waiter in waiters { waiter() }
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
