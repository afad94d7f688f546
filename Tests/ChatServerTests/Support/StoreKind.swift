import Dispatch
import Foundation
import HTTPServer
import PostgresClient
import Synchronization
import Testing
@testable import ChatServer

/// The stores the same tests run against: memory, and PostgreSQL when `TEST_DATABASE_URL`
/// names a server (`.ci/run` starts a throwaway cluster with `scripts/pg-cluster`). Without
/// it every PostgreSQL case is still listed and is skipped by `TestServer` with the reason
/// (`Test.cancel`), so the run's summary counts what did not run instead of dropping it.
/// Each PostgreSQL test server gets a schema of its own, so tests do not see each other's lobbies.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case memory
    case postgres

    static let databaseURL = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let all: [StoreKind] = [.memory, .postgres]
    static let skipReason: Comment = "TEST_DATABASE_URL is not set: the PostgreSQL store's tests need a server (scripts/pg-cluster start DIR prints one)"

    var testDescription: String { rawValue }

    /// Skips the running test case (reported as skipped, with the reason) when this store has
    /// no server: PostgreSQL without `TEST_DATABASE_URL`.
    func skipUnlessAvailable() throws {
        guard self == .postgres, Self.databaseURL == nil else { return }
        SkippedCases.note()
        try Test.cancel(Self.skipReason)
    }

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

/// Counts the PostgreSQL cases skipped for want of `TEST_DATABASE_URL` and says so when the
/// test process exits, after Swift Testing's summary (which counts a skipped case as passed):
/// `swift test` then tells how many did not run and why, and still passes.
enum SkippedCases {
    private static let count = Atomic(0)
    private static let registration: Void = {
        atexit {
            let skipped = SkippedCases.count.load(ordering: .relaxed)
            print("\(skipped) PostgreSQL test case(s) of the store-parameterized tests were skipped: \(StoreKind.skipReason)")
        }
    }()

    static func note() {
        _ = registration
        count.add(1, ordering: .relaxed)
    }
}
