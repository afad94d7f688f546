import ChatAPI
import Foundation
import Synchronization
import Testing
@testable import APIRuntime
@testable import ChatServer

extension ChatServerClient {
    /// Opens `GET /chat/users/{userId}/events` (resuming after `cursor`) and reads its head.
    func openUserStream(_ userId: String, cursor: String? = nil, presence: Bool = false) throws -> EventStreamReader {
        let connection = try TestConnection(port: port, source: source)
        let query = presence ? "?presence=true" : ""
        var head = "GET /chat/users/\(userId)/events\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        if let cursor { head += "Last-Event-ID: \(cursor)\r\n" }
        if let bearer = TestTokens.bearer(of: userId) { head += "Authorization: \(bearer)\r\n" }
        try connection.send(head + "\r\n")
        return EventStreamReader(connection: connection, head: try connection.readResponse(bodyExpected: false))
    }
}

extension EventStreamReader.Event {
    /// `room type seq` as the cursor in its id says (`-` for none).
    var summary: String {
        let room = payload["room"] as? String ?? "?"
        let seq = id.flatMap(UserCursor.init(parsing:))?[room].map(String.init) ?? "-"
        return "\(room) \(type) \(seq)"
    }
}

/// The user stream (`GET /chat/users/{userId}/events`) over real sockets, on both stores: every
/// lobby of the user on one stream with cursor ids, joins and leaves while it is open, resume
/// per lobby with no gap and no repeat, across PostgreSQL instances; its bounds.
@Suite struct UserStreamTests {
    /// Lobbies a, b (alice and bob in them: events 1, 2) and c (bob alone: event 1).
    static func makeLobbies(on server: TestServer) throws -> (a: String, b: String, c: String, alice: String, bob: String) {
        let (a, alice) = try server.makeMember("alice")
        let b = try server.makeLobby()
        _ = try server.join(b, alice)
        let c = try server.makeLobby()
        let bob = try server.makeUser("bob")
        for room in [a, b, c] { _ = try server.join(room, bob) }
        return (a, b, c, alice, bob)
    }

    @Test(arguments: StoreKind.all) func carriesEveryLobbyAndFollowsJoinsAndLeaves(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (a, b, c, alice, bob) = try Self.makeLobbies(on: server)
        let stream = try server.openUserStream(alice)
        #expect(stream.head.status == 200)

        _ = try server.post(a, bob, "in a")  // a 3
        _ = try server.post(b, bob, "in b")  // b 3
        let first = try stream.next(2)
        // Lobbies are delivered each in its own order, not in one order across them.
        #expect(first.map(\.summary).sorted() == ["\(a) message 3", "\(b) message 3"].sorted())
        #expect(first[1].id == UserCursor([a: 3, b: 3]).description)

        _ = try server.join(c, alice)  // c 2
        _ = try server.post(c, bob, "in c")  // c 3
        _ = try server.typing(c, bob)
        _ = try server.leave(a, alice)  // a 4
        _ = try server.post(a, bob, "not for alice")  // a 5
        _ = try server.post(b, bob, "still open")  // b 4
        let events = try stream.next(5)
        // Each lobby in its order (lobbies interleave as their deliveries run; PostgreSQL sends
        // typing at once, while a message may still be read from the table).
        let seqEvents = events.filter { $0.type != "typing" }.map(\.summary)
        func of(_ room: String) -> [String] { seqEvents.filter { $0.hasPrefix("\(room) ") } }
        #expect(of(c) == ["\(c) join 2", "\(c) message 3"])
        #expect(of(a) == ["\(a) leave 4"])
        #expect(of(b) == ["\(b) message 4"])
        #expect(events.filter { $0.type == "typing" }.map { "\($0.summary) \($0.id ?? "none")" } == ["\(c) typing - none"])
        // The leave took the lobby off the cursor.
        _ = try server.post(b, bob, "after the leave")  // b 5
        let next = try #require(try stream.next())
        #expect(next.summary == "\(b) message 5")
        #expect(next.id == UserCursor([b: 5, c: 3]).description)
    }

    /// A deleted lobby leaves the stream with its `closed`; a lobby made again with its code
    /// starts its seqs anew, and joining it brings it onto the same stream.
    @Test(arguments: StoreKind.all) func aLobbyMadeAgainWithADeletedCodeIsFollowed(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (a, b, _, alice, bob) = try Self.makeLobbies(on: server)
        _ = try server.post(a, bob, "one")  // a 3
        _ = try server.post(a, bob, "two")  // a 4
        let stream = try server.openUserStream(alice)
        #expect(try server.deleteLobby(a, bob).status == 204)  // a 5, closed
        #expect(try stream.next()?.summary == "\(a) closed 5")
        #expect(try server.makeLobby(a) == a)
        _ = try server.join(a, alice)  // a 1
        _ = try server.post(a, alice, "anew")  // a 2
        #expect(try stream.next(2).map(\.summary) == ["\(a) join 1", "\(a) message 2"])
        _ = try server.post(b, bob, "b still")  // b 3
        let last = try #require(try stream.next())
        #expect(last.summary == "\(b) message 3")
        #expect(last.id == UserCursor([a: 2, b: 3]).description)
    }

    @Test(arguments: StoreKind.all) func resumesEachLobbyWithNoGapAndNoRepeat(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (a, b, c, alice, bob) = try Self.makeLobbies(on: server)
        let stream = try server.openUserStream(alice)
        _ = try server.post(a, bob, "a3")
        _ = try server.post(b, bob, "b3")
        let cursor = try #require(try stream.next(2).last?.id)
        stream.close()

        // While away: more in both, a lobby joined since, and a post in it.
        _ = try server.post(a, bob, "a4")
        _ = try server.post(b, bob, "b4")
        _ = try server.post(a, bob, "a5")
        _ = try server.join(c, alice)  // c 2
        _ = try server.post(c, bob, "c3")

        let resumed = try server.openUserStream(alice, cursor: cursor)
        var seen = try resumed.next(5).map(\.summary)
        _ = try server.post(b, bob, "b5")  // live after the replay
        seen += try resumed.next(1).map(\.summary)
        // Each lobby in its order, each event once; the lobbies interleave as they replay.
        for (room, expected) in [(a, ["message 4", "message 5"]), (b, ["message 4", "message 5"]), (c, ["join 2", "message 3"])] {
            #expect(seen.filter { $0.hasPrefix("\(room) ") }.map { $0.split(separator: " ").dropFirst().joined(separator: " ") } == expected)
        }
        #expect(seen.count == Set(seen).count)
    }

    @Test func aLobbyPastItsHistoryResumesWithItsResync() throws {
        let server = try TestServer { $0.chat.historySize = 2 }
        let (a, alice) = try server.makeMember("alice")  // a 1
        let b = try server.makeLobby()
        _ = try server.join(b, alice)  // b 1
        for n in 2...5 { _ = try server.post(a, alice, "a\(n)") }  // a 2…5; a keeps 4, 5
        _ = try server.post(b, alice, "b2")
        let resumed = try server.openUserStream(alice, cursor: UserCursor([a: 1, b: 1]).description)
        let events = try resumed.next(2).sorted { $0.summary < $1.summary }
        let (ofA, ofB) = a < b ? (events[0], events[1]) : (events[1], events[0])
        #expect(ofA.type == "resync" && ofA.payload["lastEventId"] as? Int == 5)
        #expect(ofB.summary == "\(b) message 2")
    }

    @Test func aJoinThroughAnotherInstanceReachesTheStream() throws {
        let (first, second, _) = try TestServer.postgresPair()
        let (a, alice) = try first.makeMember("alice")  // a 1
        let b = try second.makeLobby()
        let bob = try second.makeUser("bob")
        _ = try second.join(b, bob)  // b 1
        let stream = try first.openUserStream(alice)
        #expect(try second.join(b, alice).status == 200)  // b 2
        _ = try second.post(b, bob, "through the second")  // b 3
        _ = try second.post(a, alice, "and a")  // a 2
        let events = try stream.next(3).map(\.summary)
        #expect(events.filter { $0.hasPrefix(b) } == ["\(b) join 2", "\(b) message 3"])
        #expect(events.filter { $0.hasPrefix(a) } == ["\(a) message 2"])
        // A leave through the second instance ends the lobby there too; the stream stays.
        _ = try second.leave(b, alice)  // b 4
        _ = try second.post(b, bob, "gone")  // b 5
        _ = try second.post(a, alice, "a3")  // a 3
        #expect(try stream.next(2).map(\.summary).sorted() == ["\(b) leave 4", "\(a) message 3"].sorted())
    }

    @Test func countsAsOneOfTheUsersStreams() throws {
        let server = try TestServer { $0.chat.maxStreamsPerUser = 2 }
        let (room, alice) = try server.makeMember("alice")
        let user = try server.openUserStream(alice)
        let lobby = try server.openStream(room, userId: alice)
        #expect(user.head.status == 200 && lobby.head.status == 200)
        #expect(try server.openUserStream(alice).head.status == 429)
        let other = try server.makeUser("bob")
        let wrong = try server.request("GET", "/chat/users/\(alice)/events", authorization: TestTokens.bearer(of: other))
        #expect(wrong.status == 403)
    }

    @Test func cursorsReadAndWriteTheSame() throws {
        let cursor = try #require(UserCursor(parsing: "random:40,general:12"))
        #expect(cursor.description == "general:12,random:40")
        #expect(UserCursor(parsing: "") == UserCursor())
        #expect(UserCursor(parsing: "general") == nil)
        #expect(UserCursor(parsing: "a:1,,b:2") == nil)
        let bytes = Array("id: 7\ndata: {\"a\":1}\n\ndata: {\"type\":\"typing\"}\n\nid: 9\ndata: {\"payload\":{},\"type\":\"resync\"}\n\n".utf8)
        let frames = Array(SSEFrames(bytes))
        #expect(frames.map(\.seq) == [7, nil, 9])
        #expect(frames.map(\.isResync) == [false, false, true])
        #expect(frames.map { String(decoding: bytes[$0.data], as: UTF8.self) }.first == "data: {\"a\":1}\n\n")
    }
}

/// `UserStream` without sockets: its attachments' frames get the cursor as their id, covered
/// frames are dropped, a leave takes the lobby off, and a join announced late is not followed.
@Suite struct UserStreamUnitTests {
    /// The attachments a user stream asked to subscribe.
    final class Subscriptions: Sendable {
        let list = Mutex<[(room: String, after: Int, sink: EventSink<Components.Schemas.ChatEvent>)]>([])
        var count: Int { list.withLock { $0.count } }
        var sinks: [EventSink<Components.Schemas.ChatEvent>] { list.withLock { $0.map(\.sink) } }
        var last: String? { list.withLock { $0.last.map { "\($0.room) \($0.after)" } } }
    }

    /// A user stream over a recording stream, and the attachments it asked to subscribe.
    static func make() -> (RecordingStream, UserStream, Subscriptions) {
        let recording = RecordingStream()
        let subscribed = Subscriptions()
        let stream = UserStream(userId: "u", sink: EventSink(recording)) { room, after, sink in
            subscribed.list.withLock { $0.append((room, after, sink)) }
        }
        return (recording, stream, subscribed)
    }

    static func frame(_ room: String, _ seq: Int) -> EncodedEvent<Components.Schemas.ChatEvent> {
        try! EncodedEvent(Components.Schemas.ChatEvent.leave(Components.Schemas.MemberChange(id: "u", name: "u", room: room)), id: String(seq))
    }

    @Test func framesCarryTheCursorAndALateJoinIsNotFollowed() throws {
        let (recording, stream, subscribed) = Self.make()
        stream.follow("a", after: 2)
        stream.follow("b", after: 5)
        let sinks = subscribed.sinks
        sinks[0].send(EncodedEvent.joined([Self.frame("a", 2), Self.frame("a", 3)]))  // 2 is covered: dropped
        sinks[1].send(Self.frame("b", 6))
        #expect(recording.writes.map { $0.split(separator: "\n").first.map(String.init) } == ["id: a:3,b:5", "id: a:3,b:6"])

        // The user leaves a (its attachment ends after the leave): a is off the cursor, and the
        // join at 1, announced late, is not followed again; a new join at 7 is.
        sinks[0].send(Self.frame("a", 4))
        sinks[0].finish()
        #expect(stream.cursor == UserCursor(["b": 6]))
        stream.follow("a", fromJoin: 1)
        #expect(subscribed.count == 2)
        stream.follow("a", fromJoin: 7)
        #expect(subscribed.last == "a 6")
        #expect(stream.rooms == ["a", "b"])
    }

    /// A leave and a quick rejoin: the join is announced before the lobby's attachment has
    /// delivered the leave. The stream still gets the leave, then follows the lobby from the join.
    @Test func aRejoinAnnouncedBeforeTheLeaveIsDeliveredWaitsForIt() throws {
        let (recording, stream, subscribed) = Self.make()
        stream.follow("a", after: 2)
        stream.follow("a", fromJoin: 5)  // left at 3 (not delivered yet), joined again at 5
        #expect(subscribed.count == 1, "not followed twice while the first attachment runs")
        let first = subscribed.sinks[0]
        first.send(Self.frame("a", 3))
        first.finish()
        #expect(recording.writes.map { $0.split(separator: "\n").first.map(String.init) } == ["id: a:3"])
        #expect(subscribed.last == "a 4")
        #expect(stream.rooms == ["a"])
        subscribed.sinks[1].send(Self.frame("a", 5))
        #expect(recording.writes.last?.hasPrefix("id: a:5\n") == true)

        // A join the attachment delivers itself (announced again, late) is not followed twice,
        // nor kept for later: when the lobby is then deleted, nothing follows it again.
        stream.follow("a", fromJoin: 6)
        subscribed.sinks[1].send(Self.frame("a", 6))
        let closed = try EncodedEvent(
            Components.Schemas.ChatEvent.closed(Components.Schemas.LobbyClosed(room: "a", userId: "v", name: "v")), id: "7")
        subscribed.sinks[1].send(closed)
        subscribed.sinks[1].finish()
        #expect(subscribed.count == 2, "the join at 6, which the attachment delivered, is not followed again")
        #expect(stream.rooms.isEmpty)
        stream.follow("a", fromJoin: 5)
        stream.follow("b", after: 0)
        stream.follow("b", fromJoin: 1)
        subscribed.sinks[3].send(Self.frame("b", 1))
        subscribed.sinks[3].send(Self.frame("b", 2))
        subscribed.sinks[3].finish()  // left at 2: the join at 1 came before it
        #expect(subscribed.count == 4, "a lobby made again with the code is followed from its join")
        #expect(stream.rooms == ["a"])
    }
}
