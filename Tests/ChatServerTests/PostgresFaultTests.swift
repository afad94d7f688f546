import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

enum FaultCluster {
    static let directory = ProcessInfo.processInfo.environment["TEST_FAULT_CLUSTER_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    static let skipReason: Comment = "TEST_FAULT_CLUSTER_DIR is not set: the fault tests restart PostgreSQL, so they need a cluster of their own (scripts/pg-cluster start DIR)"
}

/// Faults of the real components while a client posts and a stream reads: PostgreSQL restarted,
/// an instance killed with SIGKILL. Each ends with a ledger check: every post answered 201 is on
/// the stream exactly once, in order, with no gap, and in the table.
///
/// They restart the database, so they run against a cluster of their own, named by
/// `TEST_FAULT_CLUSTER_DIR` (a folder made by `scripts/pg-cluster start`), one at a time.
@Suite(.serialized, .enabled(if: FaultCluster.directory != nil, FaultCluster.skipReason))
struct PostgresFaultTests {
    static var clusterDirectory: String? { FaultCluster.directory }

    static var url: String {
        (try? String(contentsOfFile: clusterDirectory! + "/url", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// The package's root, where `scripts/` is.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Restarts the cluster (fast shutdown: every backend is terminated, then it starts again).
    /// Through `system`, with every output to /dev/null: the restarted server must not inherit
    /// this process's pipes, or `swift test` would wait for it to close them.
    static func restartDatabase() throws {
        let script = packageRoot.appendingPathComponent("scripts/pg-cluster").path
        let status = system("'\(script)' restart '\(clusterDirectory!)' >/dev/null 2>&1 </dev/null")
        guard status == 0 else { throw TestConnection.Failure(description: "pg-cluster restart failed (\(status))") }
    }

    /// What one poster saw: the seqs answered 201, and how many were refused with 503.
    struct Ledger {
        var accepted: [Int] = []
        var refused = 0
    }

    /// Posts `count` messages through `server`, calling `fault` before post number `faultAt`;
    /// a refused post is retried after a pause, as a client honouring `Retry-After` would (sooner).
    static func post(_ count: Int, to room: String, as userId: String, through server: () -> any ChatServerClient,
                     faultAt: Int, _ fault: () throws -> Void) throws -> Ledger {
        var ledger = Ledger()
        for index in 0..<count {
            if index == faultAt { try fault() }
            for _ in 0..<200 {
                guard let response = try? server().post(room, userId, "m\(index)") else {
                    Thread.sleep(forTimeInterval: 0.05)  // the instance is down: connection refused
                    continue
                }
                if response.status == 201 {
                    ledger.accepted.append(try response.object()["seq"] as? Int ?? -1)
                    break
                }
                #expect(response.status == 503, "post answered \(response.status): \(response.text)")
                #expect(response.header("Retry-After") == "1")
                ledger.refused += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        return ledger
    }

    /// The stream's seqs up to `last`: must be every seq from `first`, once each, in order.
    static func check(_ stream: EventStreamReader, against ledger: Ledger, from first: Int) throws {
        let last = try #require(ledger.accepted.last)
        var seen: [Int] = []
        while (seen.last ?? 0) < last {
            guard let event = try stream.next(), let seq = event.id.flatMap(Int.init) else { break }
            seen.append(seq)
        }
        #expect(seen == Array(first...last))
        #expect(Set(ledger.accepted).isSubset(of: Set(seen)))
        #expect(ledger.accepted == ledger.accepted.sorted())
    }

    @Test func aRestartedDatabaseLosesNothingAnsweredAndStreamsCatchUp() throws {
        let schema = StoreKind.newSchema()
        let url = Self.url
        func configure(_ configuration: inout ChatServerConfiguration) {
            configuration.database = DatabaseConfiguration(url: url, schema: schema, poolSize: 2)
        }
        let a = try TestServer(configure)
        let b = try TestServer(configure)
        let (room, alice) = try a.makeMember()
        let stream = try b.openStream(room, userId: alice)
        stream.connection.setTimeout(.seconds(15))
        let startedBefore = try TestDatabase.run("SELECT pg_postmaster_start_time()::text AS started", url: url).first("started")
        let ledger = try Self.post(150, to: room, as: alice, through: { a }, faultAt: 50) { try Self.restartDatabase() }
        // The database really was away: it started again. (Whether a post met it away, a 503,
        // depends on how soon the pool reconnects; the ledger check holds either way.)
        let startedAfter = try TestDatabase.run("SELECT pg_postmaster_start_time()::text AS started", url: url).first("started")
        #expect(startedBefore != nil && startedAfter != startedBefore)
        try Self.check(stream, against: ledger, from: 2)
        let history = try #require(try a.request("GET", "/chat/\(room)/messages?limit=200").json() as? [[String: Any]])
        #expect(Set(ledger.accepted).isSubset(of: Set(history.compactMap { $0["seq"] as? Int })))
    }

    @Test func aKilledInstanceLosesNothingAnswered() throws {
        let schema = StoreKind.newSchema()
        let arguments = ["--database-url", Self.url, "--database-schema", schema]
        var instance = try ServerProcess(arguments)
        let (room, alice) = try instance.makeMember()
        let watcher = try TestServer { $0.database = DatabaseConfiguration(url: Self.url, schema: schema, poolSize: 2) }
        let stream = try watcher.openStream(room, userId: alice)
        stream.connection.setTimeout(.seconds(15))
        let ledger = try Self.post(150, to: room, as: alice, through: { instance }, faultAt: 75) {
            instance.kill()
            instance = try ServerProcess(arguments)
        }
        try Self.check(stream, against: ledger, from: 2)
        let history = try #require(try instance.request("GET", "/chat/\(room)/messages?limit=200").json() as? [[String: Any]])
        #expect(Set(ledger.accepted).isSubset(of: Set(history.compactMap { $0["seq"] as? Int })))
    }
}
