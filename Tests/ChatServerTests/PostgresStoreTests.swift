import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// What only the PostgreSQL store promises: several instances sharing one database and schema
/// see one chat (one seq per lobby, streams fed from every instance's posts), history outlives
/// the ring and the process, and migrations are safe to race. Real servers, real sockets.
@Suite(.enabled(if: StoreKind.databaseURL != nil, StoreKind.skipReason))
struct PostgresStoreTests {
    /// Two instances on one new schema.
    func twoInstances(_ configure: @escaping (inout ChatServerConfiguration) -> Void = { _ in }) throws -> (TestServer, TestServer, String) {
        let schema = StoreKind.newSchema()
        return (try TestServer(store: .postgres, schema: schema, configure), try TestServer(store: .postgres, schema: schema, configure), schema)
    }

    @Test func aStreamOnOneInstanceGetsWhatEveryInstanceTookInOrderOnceWithTheSameIds() throws {
        let (a, b, _) = try twoInstances()
        let (room, alice) = try a.makeMember()
        let onA = try a.openStream(room, userId: alice)
        let onB = try b.openStream(room, userId: alice)
        let total = 200
        var answered: [Int] = []
        for index in 0..<total {
            let response = try (index % 3 == 0 ? b : a).post(room, alice, "m\(index)")
            #expect(response.status == 201)
            answered.append(try response.object()["seq"] as? Int ?? -1)
        }
        #expect(answered == Array(2..<(2 + total)))
        for stream in [onA, onB] {
            let events = try stream.next(total)
            #expect(events.map(\.id) == answered.map(String.init))
            #expect(events.map { $0.payload["content"] as? String } == (0..<total).map { "m\($0)" })
        }
    }

    /// Resuming on an instance that never saw the events: replayed from the table, within the
    /// same window of the latest `historySize` events as the memory store's; older is `resync`.
    @Test func resumingOnAnotherInstanceReplaysFromTheTable() throws {
        let (a, b, _) = try twoInstances { $0.chat.historySize = 10 }
        let (room, alice) = try a.makeMember()
        for index in 0..<20 { _ = try a.post(room, alice, "m\(index)") }  // seqs 2...21
        let resumed = try b.openStream(room, userId: alice, lastEventId: 11)
        #expect(try resumed.next(10).map(\.id) == (12...21).map(String.init))
        _ = try a.post(room, alice, "live")
        #expect(try resumed.next()?.id == "22")
        let tooOld = try b.openStream(room, userId: alice, lastEventId: 11)
        let resync = try #require(try tooOld.next())
        #expect(resync.type == "resync")
        #expect(resync.id == "22")
        let ahead = try b.openStream(room, userId: alice, lastEventId: 99)
        #expect(try ahead.next()?.payload["lastEventId"] as? Int == 22)
    }

    @Test func aLeaveThroughOneInstanceEndsThatUsersStreamsOnAnother() throws {
        let (a, b, _) = try twoInstances()
        let (room, alice) = try a.makeMember()
        let bob = try a.makeUser("bob")
        _ = try a.join(room, bob)
        let alicesStreamOnB = try b.openStream(room, userId: alice)
        let bobsStreamOnB = try b.openStream(room, userId: bob)
        #expect(try a.leave(room, alice).status == 200)
        #expect(try alicesStreamOnB.next()?.type == "leave")
        #expect(try alicesStreamOnB.next() == nil)
        #expect(try bobsStreamOnB.next()?.type == "leave")
        #expect(try waitUntil { b.store.subscriberCount(room) == 1 })
        #expect(try b.openStream(room, userId: alice).head.status == 403)
    }

    @Test func everythingAnsweredOutlivesTheInstance() throws {
        let schema = StoreKind.newSchema()
        var room = ""
        var alice = ""
        do {
            let first = try TestServer(store: .postgres, schema: schema)
            (room, alice) = try first.makeMember()
            for index in 0..<5 { #expect(try first.post(room, alice, "m\(index)").status == 201) }
            first.application.shutdown()
        }
        let second = try TestServer(store: .postgres, schema: schema)
        let users = try #require(try second.request("GET", "/chat/users").json() as? [[String: Any]])
        #expect(users.map { $0["id"] as? String } == [alice])
        let lobby = try second.request("GET", "/chat/\(room)").object()
        #expect((lobby["members"] as? [[String: Any]])?.map { $0["id"] as? String } == [alice])
        let history = try #require(try second.request("GET", "/chat/\(room)/messages").json() as? [[String: Any]])
        #expect(history.map { $0["seq"] as? Int } == [2, 3, 4, 5, 6])
        #expect(try second.post(room, alice, "again").object()["seq"] as? Int == 7)
        let resumed = try second.openStream(room, userId: alice, lastEventId: 4)
        #expect(try resumed.next(3).map(\.id) == ["5", "6", "7"])
    }

    @Test func instancesStartingAtOnceMigrateOnce() throws {
        let schema = StoreKind.newSchema()
        let started = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            if (try? TestServer(store: .postgres, schema: schema)) != nil { started.withLock { $0 += 1 } }
        }
        #expect(started.withLock { $0 } == 4)
        let versions = try TestDatabase.run("SELECT version FROM \(schema).schema_migrations ORDER BY version")
        #expect(versions.rows == PostgresSchema.migrations.indices.map { [String($0 + 1)] })
    }

    /// Every backend of both instances is terminated twice while a client posts through one and
    /// a stream reads on the other: posts answer 201 or 503 (never hang or fail otherwise), the
    /// instances reconnect and listen again, and the stream gets every answered post exactly
    /// once, in order, without a gap.
    @Test func terminatedBackendsAreReconnectedAndStreamsCatchUp() throws {
        let (a, b, schema) = try twoInstances()
        let (room, alice) = try a.makeMember()
        let stream = try b.openStream(room, userId: alice)
        var accepted: [Int] = []
        var refused = 0
        var terminated = 0
        for index in 0..<300 {
            if index == 100 || index == 200 { terminated += try TestDatabase.terminateBackends(of: schema) }
            let response = try a.post(room, alice, "m\(index)")
            switch response.status {
            case 201: accepted.append(try response.object()["seq"] as? Int ?? -1)
            case 503:
                refused += 1
                #expect(response.header("Retry-After") == "1")
                Thread.sleep(forTimeInterval: 0.01)
            default: Issue.record("post answered \(response.status): \(response.text)")
            }
        }
        #expect(terminated >= 4)  // at least the pool connection and the listener of each, twice
        #expect(accepted.count > 200)
        // A refused post may still have committed (the connection broke after the commit), so
        // the stream holds every accepted seq, and nothing but a gap-free run of seqs.
        let last = try #require(accepted.last)
        var seen: [Int] = []
        while seen.last ?? 0 < last {
            guard let event = try stream.next(), let seq = event.id.flatMap(Int.init) else { break }
            seen.append(seq)
        }
        #expect(seen == Array(2...last))
        #expect(Set(accepted).isSubset(of: Set(seen)))
        #expect(accepted == accepted.sorted())
    }
}
