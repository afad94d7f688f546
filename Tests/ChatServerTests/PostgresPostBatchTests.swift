import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// Posts that arrive together go into PostgreSQL as one batch (one pipeline, one commit):
/// concurrent posts through two instances into several lobbies, with refusals mixed in, must
/// still take each lobby's seqs gap-free and in the order the table keeps them.
@Suite(.enabled(if: StoreKind.databaseURL != nil, StoreKind.skipReason))
struct PostgresPostBatchTests {
    @Test(arguments: [1, 3])
    func concurrentPostsThroughTwoInstancesTakeEachLobbysSeqsOnceAndInOrder(commitsInFlight: Int) throws {
        let schema = StoreKind.newSchema()
        let instances = try (0..<2).map { _ in
            try TestServer(store: .postgres, schema: schema) { $0.database?.commitsInFlight = commitsInFlight }
        }
        let rooms = try (0..<3).map { _ in try instances[0].makeLobby() }
        // Two posters per lobby; their joins take seqs 1 and 2.
        let posters = try rooms.flatMap { room in try (0..<2).map { _ in try instances[0].makeMember(room: room) } }
        let outsider = try instances[1].makeUser("outsider")
        let perPoster = 30
        let answered = Mutex<[String: [Int: String]]>([:])  // room → seq → content
        let refusals = Mutex<[Int]>([])
        // A thread each (concurrentPerform would run only as many at once as there are cores),
        // so that posts to several lobbies, and refusals, meet in one batch.
        let done = DispatchGroup()
        for index in 0...posters.count {
            done.enter()
            Thread {
                defer { done.leave() }
                post(index)
            }.start()
        }
        @Sendable func post(_ index: Int) {
            for count in 0..<perPoster {
                let server = instances[(index + count) % 2]
                guard index < posters.count else {
                    // Refused in the same batches: not a member, and a lobby that does not exist.
                    let status = (try? server.post(count % 2 == 0 ? rooms[0] : "no-such-lobby", outsider, "no"))?.status ?? 0
                    refusals.withLock { $0.append(status) }
                    continue
                }
                let (room, userId) = posters[index]
                let content = "\(index)-\(count)"
                guard let response = try? server.post(room, userId, content), response.status == 201,
                    let seq = try? response.object()["seq"] as? Int
                else { continue }
                answered.withLock { $0[room, default: [:]][seq] = content }
            }
        }
        done.wait()
        #expect(refusals.withLock { Set($0) } == [403, 404])
        for room in rooms {
            let seqs = answered.withLock { $0[room] ?? [:] }
            #expect(seqs.keys.sorted() == Array(3..<(3 + 2 * perPoster)))
            let history = try #require(try instances[1].request("GET", "/chat/\(room)/messages?limit=1000").json() as? [[String: Any]])
            #expect(history.map { $0["seq"] as? Int ?? -1 } == seqs.keys.sorted())
            #expect(history.map { $0["content"] as? String } == seqs.keys.sorted().map { seqs[$0] })
            // Each poster's own posts keep the order they were sent in.
            for poster in posters where poster.room == room {
                let own = history.filter { $0["userId"] as? String == poster.userId }.compactMap { $0["content"] as? String }
                #expect(own == own.sorted { Int($0.split(separator: "-")[1])! < Int($1.split(separator: "-")[1])! })
            }
        }
    }

    /// The 201 is spliced (`MessageFrame`), not encoded: the same bytes the history's encoder writes.
    @Test func theAnswerToAPostIsTheMessageAsTheHistoryEncodesIt() throws {
        let server = try TestServer(store: .postgres)
        let (room, alice) = try server.makeMember()
        let posted = try server.post(room, alice, "quote \" backslash \\ tab \t emoji 😀 line\u{2028}")
        #expect(posted.status == 201)
        let history = try server.request("GET", "/chat/\(room)/messages")
        #expect(history.text == "[" + posted.text + "]")
    }
}
