import Foundation
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
