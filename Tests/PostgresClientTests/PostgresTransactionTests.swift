import PostgresClient
import Testing

/// `PostgresConnection.transaction`: prepared statements sent as one pipeline, one transaction.
@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct PostgresTransactionTests {
    func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(to: TestDatabase.url!)
    }

    /// A new table `name`, with an `int` column `n`.
    func makeTable(_ connection: PostgresConnection) async throws -> String {
        let table = "pipeline_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await connection.query("CREATE TABLE \(table) (n int)")
        return table
    }

    @Test func statementsRunInOrderInOneTransactionAndAgainOnceTheyArePrepared() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let other = try await connect()
        defer { other.close() }
        let table = try await makeTable(connection)
        let insert = PreparedStatement(name: "\(table)_insert", sql: "INSERT INTO \(table) VALUES ($1::int) RETURNING n + 1 AS next")
        let total = PreparedStatement(name: "\(table)_total", sql: "SELECT sum(n) AS total, count(*) AS rows FROM \(table)")
        for round in 1...3 {
            let results = try await connection.transaction([(insert, [String(round)]), (total, [])])
            #expect(results.map { $0.rows } == [[[String(round + 1)]], [[String((1...round).reduce(0, +)), String(round)]]])
            // Committed: another session sees it.
            #expect(try await other.query("SELECT count(*) AS rows FROM \(table)").first("rows") == String(round))
        }
        // Back to one statement at a time.
        #expect(try await connection.query("SELECT $1::int * 2 AS n", ["21"]).first("n") == "42")
        _ = try await connection.query("DROP TABLE \(table)")
    }

    @Test func aFailingStatementRollsBackThoseBeforeItAndTheConnectionGoesOn() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let table = try await makeTable(connection)
        let insert = PreparedStatement(name: "\(table)_insert", sql: "INSERT INTO \(table) VALUES ($1::int)")
        let divide = PreparedStatement(name: "\(table)_divide", sql: "SELECT 1 / $1::int AS q")
        let after = PreparedStatement(name: "\(table)_after", sql: "INSERT INTO \(table) VALUES (99)")
        do {
            _ = try await connection.transaction([(insert, ["1"]), (divide, ["0"]), (after, [])])
            Issue.record("a division by zero committed")
        } catch {
            guard case .server(let code, _) = error else { Issue.record("\(error)"); return }
            #expect(code == "22012")
        }
        #expect(try await connection.query("SELECT count(*) AS rows FROM \(table)").first("rows") == "0")
        // The statements were prepared (or are prepared again): the same pipeline now commits.
        let results = try await connection.transaction([(insert, ["2"]), (divide, ["2"]), (after, [])])
        #expect(results.map { $0.rows } == [[], [["0"]], []])
        #expect(try await connection.query("SELECT sum(n) AS total FROM \(table)").first("total") == "101")
        _ = try await connection.query("DROP TABLE \(table)")
    }

    @Test func aStatementThatCouldNotBePreparedIsPreparedAgainNextTime() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let table = "pipeline_\(UInt32.random(in: 0...UInt32.max))"
        let count = PreparedStatement(name: "\(table)_count", sql: "SELECT count(*) AS rows FROM \(table)")
        await #expect(throws: PostgresError.self) { try await connection.transaction([(count, [])]) }
        _ = try await connection.query("CREATE TABLE \(table) (n int)")
        #expect(try await connection.transaction([(count, [])]).first?.first("rows") == "0")
        _ = try await connection.query("DROP TABLE \(table)")
    }

    @Test func anErrorAtTheCommitIsTheServersAndTheConnectionGoesOn() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let table = "pipeline_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await connection.query("CREATE TABLE \(table) (n int UNIQUE DEFERRABLE INITIALLY DEFERRED)")
        let insert = PreparedStatement(name: "\(table)_insert", sql: "INSERT INTO \(table) VALUES ($1::int)")
        do {
            _ = try await connection.transaction([(insert, ["1"]), (insert, ["1"])])
            Issue.record("a duplicate committed")
        } catch {
            guard case .server(let code, _) = error else { Issue.record("\(error)"); return }
            #expect(code == "23505", "the unique violation found at the commit")
        }
        #expect(try await connection.query("SELECT count(*) AS rows FROM \(table)").first("rows") == "0")
        _ = try await connection.query("DROP TABLE \(table)")
    }

    /// Each statement reads with a snapshot of its own: what committed while the first one
    /// waited for a lock is seen by the next (the post batch relies on it).
    @Test func aStatementSeesWhatCommittedWhileAnEarlierOneWaitedForALock() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let holder = try await connect()
        defer { holder.close() }
        let table = try await makeTable(connection)
        _ = try await connection.query("INSERT INTO \(table) VALUES (0)")
        _ = try await holder.execute(script: "BEGIN; SELECT 1 FROM \(table) WHERE n = 0 FOR UPDATE")
        let lock = PreparedStatement(name: "\(table)_lock", sql: "SELECT 1 FROM \(table) WHERE n = 0 FOR UPDATE")
        let count = PreparedStatement(name: "\(table)_count", sql: "SELECT count(*) AS rows FROM \(table)")
        async let waited = connection.transaction([(lock, []), (count, [])])
        // Until the pipeline waits for the lock (else the test would show nothing).
        let watcher = try await connect()
        defer { watcher.close() }
        var waiting = false
        for _ in 0..<500 where !waiting {
            let rows = try await watcher.query(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1", ["%\(table) WHERE n = 0 FOR UPDATE%"])
            waiting = rows.first("n") != "0"
            if !waiting { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(waiting, "the pipeline's first statement waits for the holder's lock")
        _ = try await holder.execute(script: "INSERT INTO \(table) VALUES (1); COMMIT")
        #expect(try await waited.last?.first("rows") == "2")
        _ = try await connection.query("DROP TABLE \(table)")
    }
}

@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct PostgresArrayRoundTripTests {
    @Test func anArrayLiteralReadsBackAsTheSameStrings() async throws {
        let connection = try await PostgresConnection.connect(to: TestDatabase.url!)
        defer { connection.close() }
        let values = ["a", #"b"c"#, #"d\e"#, "NULL", "{,}", "", " x ", "é😀\u{2028}"]
        let rows = try await connection.query("SELECT v FROM unnest($1::text[]) AS v", [PostgresArray.literal(values)])
        #expect(rows.rows == values.map { [$0] })
    }
}
