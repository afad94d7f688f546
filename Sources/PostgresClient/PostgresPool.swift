import Dispatch
import EventLoop
import Synchronization

/// A fixed number of connections to one database, each one reconnected with backoff when it
/// breaks. A statement goes to the connected connection with the fewest statements waiting;
/// while none is connected, statements fail at once with `.unavailable`, so callers can answer
/// 503 instead of waiting.
///
/// Tasks of its own (reconnecting) run on its serial queue, never on the cooperative pool.
public final class PostgresPool: Sendable {
    public struct Options: Sendable {
        public var url: String
        /// How many connections. Default 4.
        public var size = 4
        /// The first wait before reconnecting; it doubles up to `maxBackoff`. Default 50 ms.
        public var minBackoff: Duration = .milliseconds(50)
        /// Default 2 s.
        public var maxBackoff: Duration = .seconds(2)
        public var label = "postgres"

        public init(url: String) { self.url = url }
    }

    public enum Event: Sendable {
        /// A connection is up (again) and set up; `reconnect` says it had been down.
        case connected(reconnect: Bool)
        /// A connection broke; it is being reconnected.
        case disconnected(PostgresError)
    }

    private struct Slot {
        var connection: PostgresConnection?
        var waiting = 0
        var failures = 0
        var hasConnected = false
    }

    private let options: Options
    private let slots: Mutex<[Slot]>
    private let isClosed = Atomic(false)
    private let reconnects = Atomic(0)
    private let executor: QueueExecutor
    private let setUp: @Sendable (PostgresConnection) async throws(PostgresError) -> Void
    private let onNotification: (@Sendable (PostgresNotification) -> Void)?
    private let onEvent: (@Sendable (Event) -> Void)?

    /// `setUp` runs on every new connection before it takes statements (`SET`, `LISTEN`).
    public init(
        _ options: Options,
        setUp: @escaping @Sendable (PostgresConnection) async throws(PostgresError) -> Void = { _ in },
        onNotification: (@Sendable (PostgresNotification) -> Void)? = nil,
        onEvent: (@Sendable (Event) -> Void)? = nil
    ) {
        self.options = options
        slots = Mutex(Array(repeating: Slot(), count: max(1, options.size)))
        executor = QueueExecutor(queue: DispatchQueue(label: "\(options.label).pool"))
        self.setUp = setUp
        self.onNotification = onNotification
        self.onEvent = onEvent
    }

    /// Connects every slot; throws if the first connection cannot be made (a wrong URL should
    /// stop the server at start, not make it answer 503 forever). Later failures reconnect.
    public func start() async throws(PostgresError) {
        let first = try await connect(slot: 0)
        install(first, in: 0)
        for slot in 1..<options.size { scheduleReconnect(slot, after: .zero) }
    }

    /// True while at least one connection is up.
    public var isConnected: Bool {
        slots.withLock { $0.contains { $0.connection != nil } }
    }

    /// How many times a connection was made again after breaking.
    public var reconnectCount: Int { reconnects.load(ordering: .relaxed) }

    /// Runs one statement on a connected connection.
    public func query(_ sql: String, _ parameters: [String?] = []) async throws(PostgresError) -> PostgresRows {
        try await withConnection { connection throws(PostgresError) in try await connection.query(sql, parameters) }
    }

    /// Runs a prepared statement on a connected connection (`PostgresConnection.query(_:_:)`).
    public func query(_ statement: PreparedStatement, _ parameters: [String?] = []) async throws(PostgresError) -> PostgresRows {
        try await withConnection { connection throws(PostgresError) in try await connection.query(statement, parameters) }
    }

    /// Runs a script on one connection (a transaction of several statements stays on it).
    public func withConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws(PostgresError) -> T
    ) async throws(PostgresError) -> T {
        let (index, connection) = try checkOut()
        defer { slots.withLock { $0[index].waiting -= 1 } }
        return try await body(connection)
    }

    /// Closes every connection and stops reconnecting.
    public func close() {
        let connections = slots.withLock { slots in
            isClosed.store(true, ordering: .relaxed)
            defer { for index in slots.indices { slots[index].connection = nil } }
            return slots.compactMap(\.connection)
        }
        for connection in connections { connection.close() }
    }

    // MARK: Slots

    private func checkOut() throws(PostgresError) -> (Int, PostgresConnection) {
        let pick = slots.withLock { slots -> (Int, PostgresConnection)? in
            var best: Int?
            for index in slots.indices where slots[index].connection != nil {
                if best == nil || slots[index].waiting < slots[best!].waiting { best = index }
            }
            guard let best, let connection = slots[best].connection else { return nil }
            slots[best].waiting += 1
            return (best, connection)
        }
        guard let pick else { throw .unavailable }
        return pick
    }

    /// Which connection a close report is about (set once it exists).
    private final class Made: Sendable {
        let connection = Mutex<PostgresConnection?>(nil)
    }

    private func connect(slot: Int) async throws(PostgresError) -> PostgresConnection {
        let made = Made()
        let connection = try await PostgresConnection.connect(
            to: options.url, label: "\(options.label).\(slot)", onNotification: onNotification,
            onClose: { [weak self] error in
                guard let connection = made.connection.withLock({ $0 }) else { return }
                self?.lost(connection, slot: slot, error)
            })
        made.connection.withLock { $0 = connection }
        do {
            try await setUp(connection)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func install(_ connection: PostgresConnection, in slot: Int) {
        let reconnect = slots.withLock { slots -> Bool? in
            // Under the lock, so `close()` cannot miss it.
            guard !isClosed.load(ordering: .relaxed) else { return nil }
            defer {
                slots[slot].connection = connection
                slots[slot].failures = 0
                slots[slot].hasConnected = true
            }
            return slots[slot].hasConnected
        }
        guard let reconnect else { return connection.close() }
        if reconnect { reconnects.add(1, ordering: .relaxed) }
        onEvent?(.connected(reconnect: reconnect))
    }

    /// An installed connection broke. One that broke before it was installed (while being set
    /// up) is the business of `reconnect`, which then tries again itself.
    private func lost(_ connection: PostgresConnection, slot: Int, _ error: PostgresError) {
        let wasInstalled = slots.withLock { slots -> Bool in
            guard slots[slot].connection === connection else { return false }
            slots[slot].connection = nil
            return true
        }
        guard wasInstalled, !isClosed.load(ordering: .relaxed) else { return }
        onEvent?(.disconnected(error))
        scheduleReconnect(slot, after: options.minBackoff)
    }

    private func scheduleReconnect(_ slot: Int, after delay: Duration) {
        let milliseconds = Int(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        executor.queue.asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { [self] in
            Task(executorPreference: executor) { await self.reconnect(slot) }
        }
    }

    private func reconnect(_ slot: Int) async {
        guard !isClosed.load(ordering: .relaxed) else { return }
        do {
            install(try await connect(slot: slot), in: slot)
        } catch {
            let failures = slots.withLock { slots in
                slots[slot].failures += 1
                return slots[slot].failures
            }
            let backoff = min(options.maxBackoff, options.minBackoff * (1 << min(failures, 10)))
            scheduleReconnect(slot, after: backoff)
        }
    }
}
