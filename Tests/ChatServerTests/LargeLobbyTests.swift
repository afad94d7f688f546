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
}
