import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// A lobby whose writes are spread over the delivery shards, over real sockets: every stream
/// gets every event once, in seq order, while members join, post and leave around it.
@Suite struct LargeLobbyTests {
    @Test func everyStreamOfAManyStreamLobbyGetsEachEventOnceInOrder() throws {
        let server = try TestServer()
        let (room, alice) = try server.makeMember()
        let streams = try (0..<48).map { _ in try server.openStream(room, userId: alice) }
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // seq 2
        for index in 0..<40 { _ = try server.post(room, index.isMultiple(of: 2) ? alice : bob, "m\(index)") }  // seq 3…42
        _ = try server.leave(room, bob)  // seq 43
        for stream in streams {
            let events = try stream.next(42)
            #expect(events.map(\.id) == (2...43).map(String.init))
            #expect(events.map(\.type) == ["join"] + Array(repeating: "message", count: 40) + ["leave"])
        }
    }

    @Test func aLeavingMembersStreamsGetTheLeaveThenEndWhileOthersGoOn() throws {
        let server = try TestServer()
        let (room, alice) = try server.makeMember()
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // seq 2
        let aliceStreams = try (0..<16).map { _ in try server.openStream(room, userId: alice) }
        let bobStreams = try (0..<16).map { _ in try server.openStream(room, userId: bob) }
        _ = try server.post(room, alice, "before")  // seq 3
        _ = try server.leave(room, bob)  // seq 4
        _ = try server.post(room, alice, "after")  // seq 5
        for stream in bobStreams {
            #expect(try stream.next(2).map(\.id) == ["3", "4"])
            #expect(try stream.next() == nil)  // ended after the leave, nothing later
        }
        for stream in aliceStreams {
            #expect(try stream.next(3).map(\.id) == ["3", "4", "5"])
        }
    }

    /// Backpressure: with streams behind by more than the backlog allows, posts are 503 with
    /// `Retry-After` instead of queueing without bound, and every post answered 201 still
    /// reaches every stream, once and in order.
    @Test func postsToALobbyWhoseStreamsAreBehindAre503AndNothingAnsweredIsLost() throws {
        let server = try TestServer { $0.chat.maxDeliveryBacklog = 1 }
        let (room, alice) = try server.makeMember()
        let streams = try (0..<200).map { _ in try server.openStream(room, userId: alice) }
        let port = server.port
        let answers = Mutex<[(status: Int, seq: Int?, retryAfter: String?)]>([])
        let token = TestTokens.bearer(of: alice) ?? ""
        let group = DispatchGroup()
        for poster in 0..<8 {
            Thread.detachNewThread(inGroup: group) {
                guard let connection = try? TestConnection(port: port) else { return }
                for index in 0..<100 {
                    let body = #"{"userId":"\#(alice)","message":"p\#(poster)-\#(index)"}"#
                    let request = "POST /chat/\(room)/message HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Authorization: \(token)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    guard (try? connection.send(request)) != nil, let response = try? connection.readResponse() else { return }
                    let seq = (try? response.object())?["seq"] as? Int
                    answers.withLock { $0.append((response.status, seq, response.header("Retry-After"))) }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        let all = answers.withLock { $0 }
        #expect(all.count == 800)
        let refused = all.filter { $0.status == 503 }
        #expect(!refused.isEmpty, "8 posters against 200 streams and a backlog of 1 should meet it")
        #expect(refused.allSatisfy { $0.retryAfter == "1" })
        #expect(all.allSatisfy { $0.status == 201 || $0.status == 503 })
        let accepted = all.compactMap(\.seq).sorted()
        for stream in streams.prefix(20) {
            let events = try stream.next(accepted.count)
            #expect(events.compactMap { Int($0.id ?? "") } == accepted)
        }
    }
}
