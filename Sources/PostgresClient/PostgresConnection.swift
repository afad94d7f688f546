import Dispatch
import EventLoop

/// One connection to PostgreSQL, driven by libpq's asynchronous API: statements are queued and
/// sent one at a time (a transaction of prepared statements goes out as one pipeline), and the socket is watched by the server's own epoll thread, so no thread
/// ever blocks on the database. All state lives on one serial queue.
///
/// When the connection breaks, every statement queued or in flight fails with
/// `.connectionLost`, and `onClose` is called once; a new connection is the owner's business.
public final class PostgresConnection: @unchecked Sendable {
    // Everything below is touched only on `queue`.
    private let queue: DispatchQueue
    private var session: LibPQSession?
    private var watch: ReadinessWatch?
    private var watchedSocket: Int32 = -1
    private var connecting: CheckedContinuation<Void, any Error>?
    private var statements: [Statement] = []
    private var nextStatement = 0
    private var inFlight: InFlight?
    /// The prepared statements this connection has (or has been sent), by name.
    private var prepared: Set<String> = []
    private var isClosed = false
    private var onNotification: (@Sendable (PostgresNotification) -> Void)?
    private var onClose: (@Sendable (PostgresError) -> Void)?

    private struct Statement {
        enum Work {
            case query(String, [String?])
            /// Several statements, simple protocol, no parameters.
            case script(String)
            /// Prepared statements in one transaction, sent as one pipeline.
            case transaction([(PreparedStatement, [String?])])
        }
        let work: Work
        /// The rows of each statement (of a script: only the last).
        let completion: (Result<[PostgresRows], PostgresError>) -> Void
    }

    /// The statement being answered, and what came back so far.
    private struct InFlight {
        let statement: Statement
        var rows: [PostgresRows] = []
        /// The first failure wins.
        var failure: PostgresError?
        /// In a pipeline, what each result in turn answers: the name of a statement being
        /// prepared, or nil for a statement run; `current` is the one being read.
        var slots: [String?] = []
        var current = 0
        var isPipeline: Bool {
            if case .transaction = statement.work { true } else { false }
        }
    }

    private init(label: String) {
        queue = DispatchQueue(label: label)
    }

    deinit {
        // Dropped without `close()`: nothing else can reach it any more.
        watch?.cancel()
        session?.finish()
    }

    /// Connects to `url` (`postgres://user@host:port/database`, or libpq's `key=value` words).
    public static func connect(
        to url: String, label: String = "postgres",
        onNotification: (@Sendable (PostgresNotification) -> Void)? = nil,
        onClose: (@Sendable (PostgresError) -> Void)? = nil
    ) async throws(PostgresError) -> PostgresConnection {
        let connection = PostgresConnection(label: label)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                connection.queue.async {
                    connection.onNotification = onNotification
                    connection.onClose = onClose
                    connection.start(url, continuation)
                }
            }
        } catch let error as PostgresError {
            throw error
        } catch {
            throw .connectionFailed("\(error)")
        }
        return connection
    }

    /// Runs one statement with text parameters (`$1`, `$2`, …) and returns its rows.
    public func query(_ sql: String, _ parameters: [String?] = []) async throws(PostgresError) -> PostgresRows {
        try await run(.query(sql, parameters)).last ?? .empty
    }

    /// Runs a prepared statement (prepared on this connection the first time, in the same
    /// round trip) and returns its rows: only its parameters travel, and PostgreSQL neither
    /// parses nor plans it again.
    public func query(_ statement: PreparedStatement, _ parameters: [String?] = []) async throws(PostgresError) -> PostgresRows {
        try await run(.transaction([(statement, parameters)])).last ?? .empty
    }

    /// Runs a script of several statements (no parameters); returns the last one's rows.
    public func execute(script sql: String) async throws(PostgresError) -> PostgresRows {
        try await run(.script(sql)).last ?? .empty
    }

    /// Runs `statements` (each with its text parameters) in one transaction, in one round trip:
    /// they go out together in pipeline mode, each after the first preparing of its statement,
    /// and the transaction commits at the pipeline's sync. Each statement reads what committed
    /// before it started (read committed), the rows the statements before it locked included.
    /// If one fails, those after it are skipped, nothing commits, and its error is thrown.
    public func transaction(_ statements: [(PreparedStatement, [String?])]) async throws(PostgresError) -> [PostgresRows] {
        try await run(.transaction(statements))
    }

    /// Closes the connection; statements still queued fail with `.closed`. `onClose` is not called.
    public func close() {
        queue.async { [self] in
            onClose = nil
            tearDown(.closed)
        }
    }

    private func run(_ work: Statement.Work) async throws(PostgresError) -> [PostgresRows] {
        let outcome = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[PostgresRows], PostgresError>, Never>) in
            queue.async { [self] in
                let queued = Statement(work: work) { continuation.resume(returning: $0) }
                guard !isClosed else { return queued.completion(.failure(.closed)) }
                statements.append(queued)
                sendNext()
            }
        }
        return try outcome.get()
    }

    // MARK: Connecting (on `queue`)

    private func start(_ url: String, _ continuation: CheckedContinuation<Void, any Error>) {
        switch LibPQSession.start(url) {
        case .failure(let error):
            isClosed = true
            continuation.resume(throwing: error)
        case .success(let session):
            self.session = session
            connecting = continuation
            // libpq: after PQconnectStart, act as if PQconnectPoll had asked for writing.
            watchSocket(reading: false, writing: true)
            // libpq's connect_timeout applies to its blocking calls only: bound this one here.
            queue.asyncAfter(deadline: .now() + .seconds(Self.connectTimeoutSeconds)) { [weak self] in
                guard let self, self.connecting != nil else { return }
                self.tearDown(.connectionFailed("no connection within \(Self.connectTimeoutSeconds) s"))
            }
        }
    }

    /// How long connecting may take.
    static let connectTimeoutSeconds = 10

    private func continueConnecting() {
        guard let session else { return }
        // libpq may close the socket and open another (the next address, an SSL fallback) inside
        // PQconnectPoll, often under the same number: end the watch while the old one is still
        // open, and watch whatever socket it leaves.
        watch?.cancel()
        watch = nil
        watchedSocket = -1
        switch session.poll() {
        case .reading: watchSocket(reading: true, writing: false)
        case .writing: watchSocket(reading: false, writing: true)
        case .connected:
            watchSocket(reading: true, writing: false)
            connecting?.resume()
            connecting = nil
            sendNext()
        case .failed(let message):
            tearDown(.connectionFailed(message))
        }
    }

    /// Watches the session's socket, starting a new watch when libpq changed sockets.
    private func watchSocket(reading: Bool, writing: Bool) {
        guard let session else { return }
        let socket = session.socket
        if socket != watchedSocket {
            watch?.cancel()
            watch = nil
            watchedSocket = socket
            do {
                watch = try ReadinessWatch(socket: socket, queue: queue, reading: reading) { [weak self] readiness in
                    self?.socketIsReady(readiness)
                }
            } catch {
                return tearDown(.connectionFailed(error.description))
            }
        }
        watch?.watch(reading: reading)
        watch?.watch(writing: writing)
    }

    // MARK: Statements (on `queue`)

    private func socketIsReady(_ readiness: ReadinessWatch.Readiness) {
        guard !isClosed else { return }
        if readiness.contains(.failed) {
            let message = "the socket could not be watched"
            return tearDown(connecting != nil ? .connectionFailed(message) : .connectionLost(message))
        }
        if connecting != nil { return continueConnecting() }
        if readiness.contains(.writable) { flush() }
        if readiness.contains(.readable) { readResults() }
    }

    private func sendNext() {
        guard connecting == nil, inFlight == nil, !isClosed, let session, nextStatement < statements.count else { return }
        let statement = statements[nextStatement]
        nextStatement += 1
        if nextStatement > 64 {
            statements.removeFirst(nextStatement)
            nextStatement = 0
        }
        inFlight = InFlight(statement: statement)
        let sent: Bool
        switch statement.work {
        case .query(let sql, let parameters): sent = session.send(sql, parameters)
        case .script(let sql): sent = session.sendScript(sql)
        case .transaction(let statements): sent = sendPipeline(statements, on: session)
        }
        guard sent else { return tearDown(.connectionLost(session.errorMessage)) }
        flush()
    }

    /// Queues `statements` and the sync after them, preparing those this connection lacks.
    private func sendPipeline(_ statements: [(PreparedStatement, [String?])], on session: LibPQSession) -> Bool {
        guard session.enterPipelineMode() else { return false }
        var slots: [String?] = []
        for (statement, parameters) in statements {
            if !prepared.contains(statement.name) {
                guard session.sendPrepare(statement.name, statement.sql) else { return false }
                prepared.insert(statement.name)
                slots.append(statement.name)
            }
            guard session.sendPrepared(statement.name, parameters) else { return false }
            slots.append(nil)
        }
        inFlight?.slots = slots
        return session.pipelineSync()
    }

    private func flush() {
        guard let session else { return }
        switch session.flush() {
        case true?: watch?.watch(writing: false)
        case false?: watch?.watch(writing: true)
        case nil: tearDown(.connectionLost(session.errorMessage))
        }
    }

    private func readResults() {
        guard let session else { return }
        guard session.consumeInput() else { return tearDown(.connectionLost(session.errorMessage)) }
        for notification in session.notifications() { onNotification?(notification) }
        while let flight = inFlight, !isClosed, !session.isBusy {
            switch session.nextResult() {
            case nil where flight.isPipeline:
                // The end of one statement's results; the next one's (or the sync) follow. A
                // commit that fails at the sync (a deferred constraint) answers its error and an
                // end of its own before the sync.
                if flight.current < flight.slots.count {
                    inFlight?.current += 1
                } else if flight.failure == nil {
                    return tearDown(.connectionLost("a pipeline answered more than it was sent"))
                }
            case nil, .sync?:
                if flight.isPipeline, !session.exitPipelineMode() { return tearDown(.connectionLost(session.errorMessage)) }
                finishStatement()  // may send the next one, and tear down if that fails
            case .rows(let rows)?:
                if flight.isPipeline, flight.current >= flight.slots.count || flight.slots[flight.current] != nil { continue }  // prepared
                // A script keeps only its last statement's rows.
                if case .script = flight.statement.work { inFlight?.rows = [rows] } else { inFlight?.rows.append(rows) }
            case .failed(let error)?:
                if flight.isPipeline, flight.current < flight.slots.count, let name = flight.slots[flight.current] {
                    prepared.remove(name)  // not prepared after all: prepare it again next time
                }
                if flight.failure == nil { inFlight?.failure = error }
            }
        }
        guard !isClosed, let session = self.session else { return }
        // Notifications that came in with the results.
        for notification in session.notifications() { onNotification?(notification) }
        if session.isBroken { tearDown(.connectionLost(session.errorMessage)) }
    }

    private func finishStatement() {
        guard let flight = inFlight else { return }
        inFlight = nil
        flight.statement.completion(flight.failure.map { .failure($0) } ?? .success(flight.rows))
        sendNext()
    }

    /// Ends the connection: everything waiting fails with `error`, and `onClose` hears of it.
    private func tearDown(_ error: PostgresError) {
        guard !isClosed else { return }
        isClosed = true
        watch?.cancel()
        watch = nil
        session?.finish()
        session = nil
        if let connecting {
            // Not yet connected: the caller of `connect` hears of it, `onClose` does not.
            self.connecting = nil
            onClose = nil
            connecting.resume(throwing: error)
        }
        let failure: PostgresError = error == .closed ? .closed : (error.isConnectionLost ? error : .connectionLost(error.description))
        if let flight = inFlight {
            inFlight = nil
            flight.statement.completion(.failure(failure))
        }
        for statement in statements[nextStatement...] { statement.completion(.failure(failure)) }
        statements = []
        nextStatement = 0
        let onClose = self.onClose
        self.onClose = nil
        onClose?(error)
    }
}

extension PostgresError {
    fileprivate var isConnectionLost: Bool {
        if case .connectionLost = self { true } else { false }
    }
}
