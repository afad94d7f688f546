import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// Reads through PostgreSQL are coalesced (`ReadCoalescer`), yet never older than their arrival:
/// what one instance has answered as created or posted, the other lists at once, while other
/// clients keep its queries for the same pages in flight.
@Suite(.enabled(if: StoreKind.databaseURL != nil, StoreKind.skipReason))
struct PostgresReadTests {
    /// What the load threads share: when to stop, and what they were answered.
    private final class LoadTally: Sendable {
        let stopped = Atomic(false)
        let answered = Mutex((ok: 0, other: [Int]()))
    }

    /// Runs `body` while `threads` threads each send `load` to `server` over and over; returns
    /// how many of those requests were answered 200 (and fails if any was answered otherwise).
    private func underLoad(
        of server: TestServer, _ load: [String], threads: Int = 6, _ body: () throws -> Void
    ) throws -> Int {
        let tally = LoadTally()
        let done = DispatchGroup()
        for index in 0..<threads {
            Thread.detachNewThread(inGroup: done) {
                var turn = index
                // Bounded: the body ends it long before.
                for _ in 0..<100_000 where !tally.stopped.load(ordering: .relaxed) {
                    let status = (try? server.request("GET", load[turn % load.count]))?.status ?? 0
                    tally.answered.withLock { if status == 200 { $0.ok += 1 } else { $0.other.append(status) } }
                    turn += 1
                }
            }
        }
        let finish = {
            tally.stopped.store(true, ordering: .relaxed)
            done.wait()
        }
        do {
            try body()
        } catch {
            finish()
            throw error
        }
        finish()
        let (ok, other) = tally.answered.withLock { ($0.ok, $0.other) }
        #expect(other.isEmpty, "load answered \(Set(other))")
        return ok
    }

    @Test func aLobbyCreatedThroughOneInstanceIsListedByTheOtherAtOnceUnderLoad() throws {
        let (first, second, _) = try TestServer.postgresPair()
        // A list of some length, so that the load's queries take a while each.
        for _ in 0..<50 { _ = try first.makeLobby() }
        var created: [String] = []
        let loadAnswered = try underLoad(of: second, ["/chat?limit=1000", "/chat"]) {
            for _ in 0..<30 {
                let room = try first.makeLobby()
                created.append(room)
                let listed = try #require(try second.request("GET", "/chat?limit=1000").json() as? [[String: Any]])
                #expect(listed.contains { $0["room"] as? String == room }, "\(room) not listed right after its creation")
            }
        }
        #expect(created.count == 30)
        #expect(loadAnswered > 0)
    }

    @Test func aMessagePostedThroughOneInstanceIsInTheOthersHistoryAtOnceUnderLoad() throws {
        let (first, second, _) = try TestServer.postgresPair()
        let (room, alice) = try first.makeMember()
        let loadAnswered = try underLoad(of: second, ["/chat/\(room)/messages", "/chat/\(room)/messages?limit=5"]) {
            for index in 0..<30 {
                let posted = try first.post(room, alice, "message \(index)")
                #expect(posted.status == 201)
                let seq = try #require(try posted.object()["seq"] as? Int)
                for target in ["/chat/\(room)/messages", "/chat/\(room)/messages?limit=5", "/chat/\(room)/messages?after=\(seq - 1)"] {
                    let history = try #require(try second.request("GET", target).json() as? [[String: Any]])
                    #expect(history.last?["seq"] as? Int == seq, "\(target): \(seq) missing right after it was posted")
                }
            }
        }
        #expect(loadAnswered > 0)
        // Another instance's history of a lobby that does not exist is still a 404.
        #expect(try second.request("GET", "/chat/no-such-lobby/messages").status == 404)
    }
}
