import Dispatch
import Foundation
import HTTPServer
import PostgresClient
import Synchronization
import Testing
@testable import ChatServer

/// The stores the same tests run against: memory always, PostgreSQL when `TEST_DATABASE_URL`
/// names a server (`.ci/run` starts a throwaway cluster with `scripts/pg-cluster`). Each
/// PostgreSQL test server gets a schema of its own, so tests do not see each other's lobbies.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case memory
    case postgres

    static let databaseURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let all: [StoreKind] = databaseURL == nil ? [.memory] : [.memory, .postgres]
    static let skipReason: Comment = "TEST_DATABASE_URL is not set: the PostgreSQL store's tests need a server (scripts/pg-cluster start DIR prints one)"

    var testDescription: String { rawValue }

    /// A fresh schema name.
    static func newSchema() -> String { "test_\(UUID().uuidString.prefix(8).lowercased())" }

    /// Points `configuration` at this store (a new schema unless `schema` is given).
    func configure(_ configuration: inout ChatServerConfiguration, schema: String? = nil) {
        guard self == .postgres, let url = Self.databaseURL else { return }
        configuration.database = DatabaseConfiguration(url: url, schema: schema ?? Self.newSchema(), poolSize: 2)
    }
}

/// Statements run by the tests themselves (as the database's owner), blocking the calling
/// thread: the connection runs on a queue of its own, never on the cooperative pool.
enum TestDatabase {
    static func run(_ sql: String, _ parameters: [String?] = [], url: String? = StoreKind.databaseURL) throws -> PostgresRows {
        guard let url else { throw TestConnection.Failure(description: "no test database") }
        let outcome = Mutex<Result<PostgresRows, PostgresError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: QueueExecutor(queue: DispatchQueue(label: "test.database"))) {
            do throws(PostgresError) {
                let connection = try await PostgresConnection.connect(to: url, label: "test.database")
                defer { connection.close() }
                let rows = try await connection.query(sql, parameters)
                outcome.withLock { $0 = .success(rows) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        guard done.wait(timeout: .now() + 30) == .success else { throw TestConnection.Failure(description: "database: timed out") }
        return try outcome.withLock { $0! }.get()
    }

    /// Terminates every backend of the chat instances using `schema` (statements and listener).
    @discardableResult
    static func terminateBackends(of schema: String, url: String? = StoreKind.databaseURL) throws -> Int {
        try run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1",
                ["chat:\(schema)%"], url: url).rows.count
    }
}
