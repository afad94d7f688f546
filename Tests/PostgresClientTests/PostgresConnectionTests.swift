import Foundation
import PostgresClient
import Synchronization
import Testing

/// The server these tests talk to: `TEST_DATABASE_URL` (`.ci/run` starts a throwaway cluster
/// with `scripts/pg-cluster` and sets it). Without it the suite is skipped, and says why.
enum TestDatabase {
    static let url = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isAvailable: Bool { url != nil }
    static let skipReason: Comment = "TEST_DATABASE_URL is not set: start a cluster with scripts/pg-cluster and export its URL"
}

@Suite(.enabled(if: TestDatabase.isAvailable, TestDatabase.skipReason))
struct PostgresConnectionTests {
    func connect(onNotification: (@Sendable (PostgresNotification) -> Void)? = nil,
                 onClose: (@Sendable (PostgresError) -> Void)? = nil) async throws -> PostgresConnection {
        try await PostgresConnection.connect(to: TestDatabase.url!, onNotification: onNotification, onClose: onClose)
    }

    @Test func runsAStatementWithTextParameters() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let rows = try await connection.query("SELECT $1::int + 1 AS n, $2::text AS t, NULL::text AS nothing", ["41", "it's"])
        #expect(rows.columns == ["n", "t", "nothing"])
        #expect(rows.rows == [["42", "it's", nil]])
    }

    @Test func queuedStatementsAnswerInOrder() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let answers = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<200 {
                group.addTask { (index, try await connection.query("SELECT $1::int * 2 AS n", [String(index)]).first("n")) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(answers.count == 200)
        #expect(answers.allSatisfy { $0.value == String($0.key * 2) })
    }

    @Test func aRefusedStatementNamesItsSQLState() async throws {
        let connection = try await connect()
        defer { connection.close() }
        await #expect(throws: PostgresError.self) { try await connection.query("SELECT * FROM no_such_table") }
        do {
            _ = try await connection.query("SELECT 1/0")
            Issue.record("division by zero succeeded")
        } catch {
            guard case .server(let code, _) = error else { Issue.record("\(error)"); return }
            #expect(code == "22012")
        }
        // The connection is still usable after a refusal.
        #expect(try await connection.query("SELECT 7 AS n").first("n") == "7")
    }

    @Test func aScriptRunsEveryStatementAndReturnsTheLast() async throws {
        let connection = try await connect()
        defer { connection.close() }
        let table = "script_\(UInt32.random(in: 0...UInt32.max))"
        let rows = try await connection.execute(script: """
            CREATE TEMP TABLE \(table) (n int); INSERT INTO \(table) VALUES (1), (2); SELECT sum(n) AS total FROM \(table);
            """)
        #expect(rows.first("total") == "3")
    }

    @Test func notificationsArriveOnTheListeningConnection() async throws {
        let received = Mutex<[PostgresNotification]>([])
        let listener = try await connect(onNotification: { note in received.withLock { $0.append(note) } })
        defer { listener.close() }
        let channel = "test_\(UInt32.random(in: 0...UInt32.max))"
        _ = try await listener.query("LISTEN \(channel)")
        let sender = try await connect()
        defer { sender.close() }
        for index in 1...3 { _ = try await sender.query("SELECT pg_notify($1, $2)", [channel, "n\(index)"]) }
        for _ in 0..<200 where received.withLock({ $0.count }) < 3 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(received.withLock { $0 } == (1...3).map { PostgresNotification(channel: channel, payload: "n\($0)") })
    }

    @Test func aTerminatedBackendFailsTheStatementInFlightAndReportsTheClose() async throws {
        let closed = Mutex<PostgresError?>(nil)
        let victim = try await connect(onClose: { error in closed.withLock { $0 = error } })
        let pid = try #require(try await victim.query("SELECT pg_backend_pid() AS pid").first("pid"))
        let killer = try await connect()
        defer { killer.close() }
        // Long enough that the terminate lands first even on a machine loaded by parallel tests.
        async let sleeping = victim.query("SELECT pg_sleep(60)")
        try await Task.sleep(for: .milliseconds(100))
        _ = try await killer.query("SELECT pg_terminate_backend($1::int)", [pid])
        do {
            _ = try await sleeping
            Issue.record("the statement survived its backend")
        } catch {
            #expect((error as? PostgresError)?.isConnectionProblem == true)
        }
        for _ in 0..<100 where closed.withLock({ $0 == nil }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(closed.withLock { $0 } != nil)
        await #expect(throws: PostgresError.self) { try await victim.query("SELECT 1") }
    }

    @Test func aClosedPortIsAConnectionFailure() async throws {
        // A port just released: nothing listens on it.
        let port = try freePort()
        do {
            _ = try await PostgresConnection.connect(to: "postgres://postgres@127.0.0.1:\(port)/chat?connect_timeout=2")
            Issue.record("connected to a closed port")
        } catch {
            guard case .connectionFailed = error else { Issue.record("\(error)"); return }
        }
    }

    private func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
