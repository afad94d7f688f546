import CLibPQ
import Foundation

/// The one place that calls libpq: a `PGconn` in non-blocking mode and the calls made on it.
/// Not thread-safe; its owner uses it from one serial queue.
struct LibPQSession {
    private let connection: OpaquePointer

    /// What `poll()` asks for next while connecting.
    enum ConnectStep { case reading, writing, connected, failed(String) }

    /// Starts connecting to `conninfo` (a `postgres://` URL or `key=value` words) without blocking.
    static func start(_ conninfo: String) -> Result<LibPQSession, PostgresError> {
        // The URL (or key=value words) as `dbname`, expanded; the settings after it win. TCP
        // keepalives and a user timeout make a silently dropped network an error in about 10 s
        // (so requests answer 503) instead of a wait of many minutes.
        let settings: [(String, String)] = [
            ("dbname", conninfo), ("keepalives", "1"), ("keepalives_idle", "5"), ("keepalives_interval", "2"),
            ("keepalives_count", "3"), ("tcp_user_timeout", "10000"),
        ]
        let keywords = settings.map { strdup($0.0) }
        let values = settings.map { strdup($0.1) }
        defer { for pointer in keywords + values { free(pointer) } }
        let started = (keywords + [nil]).withUnsafeBufferPointer { keywordPointers in
            (values + [nil]).withUnsafeBufferPointer { valuePointers in
                keywordPointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { keywordList in
                    valuePointers.withMemoryRebound(to: UnsafePointer<CChar>?.self) { valueList in
                        PQconnectStartParams(keywordList.baseAddress, valueList.baseAddress, 1)
                    }
                }
            }
        }
        guard let connection = started else { return .failure(.connectionFailed("out of memory")) }
        let session = LibPQSession(connection: connection)
        // Notices (NOTICE, and a terminated backend's FATAL) would go to stderr; errors that
        // matter reach the caller as `PostgresError`.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        guard PQstatus(connection) != CONNECTION_BAD else {
            let message = session.errorMessage
            session.finish()
            return .failure(.connectionFailed(message))
        }
        return .success(session)
    }

    private init(connection: OpaquePointer) { self.connection = connection }

    /// The socket; it may change while connecting.
    var socket: Int32 { PQsocket(connection) }

    var errorMessage: String {
        String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var isBroken: Bool { PQstatus(connection) == CONNECTION_BAD }

    /// One step of connecting; call when the socket is ready for what the previous step asked.
    func poll() -> ConnectStep {
        switch PQconnectPoll(connection) {
        case PGRES_POLLING_READING: return .reading
        case PGRES_POLLING_WRITING: return .writing
        case PGRES_POLLING_OK:
            return PQsetnonblocking(connection, 1) == 0 ? .connected : .failed(errorMessage)
        default: return .failed(errorMessage)
        }
    }

    /// Queues one statement with text parameters (`$1`…); false if libpq refused it.
    func send(_ sql: String, _ parameters: [String?]) -> Bool {
        withCStrings(parameters) { count, values in
            PQsendQueryParams(connection, sql, count, nil, values, nil, nil, 0) == 1
        }
    }

    /// Queues the preparing of `sql` as the statement `name` (its parameter types inferred).
    func sendPrepare(_ name: String, _ sql: String) -> Bool {
        PQsendPrepare(connection, name, sql, 0, nil) == 1
    }

    /// Queues a run of the prepared statement `name` with text parameters.
    func sendPrepared(_ name: String, _ parameters: [String?]) -> Bool {
        withCStrings(parameters) { count, values in
            PQsendQueryPrepared(connection, name, count, values, nil, nil, 0) == 1
        }
    }

    /// `parameters` as C strings (NULL for nil) for the length of `body`.
    private func withCStrings(_ parameters: [String?], _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Bool) -> Bool {
        if parameters.isEmpty { return body(0, nil) }
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for copy in copies { free(copy) } }
        return copies.withUnsafeBufferPointer { values in
            values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { body(Int32(parameters.count), $0.baseAddress) }
        }
    }

    /// Pipeline mode: statements are sent without waiting for the previous ones' results, and
    /// those sent up to a sync run in one implicit transaction, committed at the sync.
    func enterPipelineMode() -> Bool { PQenterPipelineMode(connection) == 1 }

    /// Back to one statement at a time; only once every result, the sync's too, has been read.
    func exitPipelineMode() -> Bool { PQexitPipelineMode(connection) == 1 }

    /// Queues the sync that ends the pipeline's transaction.
    func pipelineSync() -> Bool { PQpipelineSync(connection) == 1 }

    /// Queues a script of statements (simple protocol, no parameters).
    func sendScript(_ sql: String) -> Bool { PQsendQuery(connection, sql) == 1 }

    /// Writes what is queued: true when all of it went out, false when the socket is full, nil on failure.
    func flush() -> Bool? {
        switch PQflush(connection) {
        case 0: true
        case 1: false
        default: nil
        }
    }

    /// Reads what the socket has; false when the connection broke.
    func consumeInput() -> Bool { PQconsumeInput(connection) == 1 }

    /// True while a result is still arriving.
    var isBusy: Bool { PQisBusy(connection) == 1 }

    /// What `nextResult()` read.
    enum Answer {
        case rows(PostgresRows)
        case failed(PostgresError)
        /// A pipeline's sync: its transaction has ended (committed unless a statement failed).
        case sync
    }

    /// The next result: nil when the statement in flight has no more (in pipeline mode: the
    /// current statement of the pipeline).
    func nextResult() -> Answer? {
        guard let result = PQgetResult(connection) else { return nil }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            let columnCount = PQnfields(result)
            let columns = (0..<columnCount).map { String(cString: PQfname(result, $0)) }
            let rows = (0..<PQntuples(result)).map { row in
                (0..<columnCount).map { column -> String? in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
            return .rows(PostgresRows(columns: columns, rows: rows, affected: Int(String(cString: PQcmdTuples(result))) ?? 0))
        case PGRES_PIPELINE_SYNC:
            return .sync
        case PGRES_PIPELINE_ABORTED:
            return .failed(.server(code: "25P02", message: "skipped: an earlier statement of the pipeline failed"))
        default:
            let code = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? "?????"
            let message = String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
            return .failed(code.hasPrefix("08") ? .connectionLost(message) : .server(code: code, message: message))
        }
    }

    /// The notifications received so far.
    func notifications() -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let notify = PQnotifies(connection) {
            received.append(PostgresNotification(
                channel: String(cString: notify.pointee.relname), payload: String(cString: notify.pointee.extra)))
            PQfreemem(notify)
        }
        return received
    }

    /// Closes the connection and frees it.
    func finish() { PQfinish(connection) }
}
