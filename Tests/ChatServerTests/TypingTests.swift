import Foundation
import Testing
@testable import ChatServer

extension ChatServerClient {
    /// `POST /chat/{room}/typing` as `userId` (with their token unless `authorization` says otherwise).
    func typing(_ room: String, _ userId: String, authorization: String? = nil, extra: [String: String] = [:]) throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: extra.merging(["userId": userId]) { $1 })
        return try request(
            "POST", "/chat/\(room)/typing", json: String(decoding: body, as: UTF8.self),
            authorization: authorization ?? TestTokens.bearer(of: userId))
    }
}

/// Typing (`POST /chat/{room}/typing`) over real sockets, on both stores: the ephemeral event
/// reaches the other members' streams without an id, never the typer's, is neither stored nor
/// replayed, is throttled per user and lobby, crosses PostgreSQL instances; who may.
@Suite struct TypingTests {
    @Test(arguments: StoreKind.all) func othersGetAnEphemeralTypingEventWithoutId(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")  // 1
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        let bobStream = try server.openStream(room, userId: bob)
        let aliceStream = try server.openStream(room, userId: alice)

        let typed = try server.typing(room, alice)
        #expect(typed.status == 204, "\(typed.text)")
        #expect(typed.text.isEmpty)
        _ = try server.post(room, bob, "hi")  // 3

        let events = try bobStream.next(2)
        #expect(events.map(\.type) == ["typing", "message"])
        #expect(events[0].id == nil)
        #expect(events[0].payload as NSDictionary == ["room": room, "userId": alice, "name": "alice"] as NSDictionary)
        #expect(events[1].id == "3")
        // The typer's own stream does not get it: its next event is the message.
        let own = try #require(try aliceStream.next())
        #expect(own.type == "message" && own.id == "3")

        // Not stored: history holds the message alone; not replayed: resuming after event 2
        // gives the message, then what comes live.
        #expect(try server.history(room).map { $0["seq"] as? Int } == [3])
        let resumed = try server.openStream(room, userId: bob, lastEventId: 2)
        _ = try server.post(room, alice, "after")  // 4
        #expect(try resumed.next(2).map { "\($0.type) \($0.id ?? "-")" } == ["message 3", "message 4"])
    }

    @Test(arguments: StoreKind.all) func oneTypingPerUserAndLobbyEachTwoSecondsIsBroadcast(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let carol = try server.makeUser("carol")
        _ = try server.join(room, carol)
        let carolStream = try server.openStream(room, userId: carol)

        for _ in 0..<3 { #expect(try server.typing(room, alice).status == 204) }
        // Another user is throttled apart.
        #expect(try server.typing(room, bob).status == 204)
        _ = try server.post(room, carol, "marker")
        let events = try carolStream.next(3)
        #expect(events.map(\.type) == ["typing", "typing", "message"])
        #expect(events.prefix(2).map { $0.payload["userId"] as? String } == [alice, bob])

        // After the interval alice's typing is broadcast again.
        Thread.sleep(forTimeInterval: 2.1)
        #expect(try server.typing(room, alice).status == 204)
        let again = try #require(try carolStream.next())
        #expect(again.type == "typing" && again.payload["userId"] as? String == alice)
    }

    @Test(arguments: StoreKind.all) func onlyAMemberWithTheirTokenMayType(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")
        let carol = try server.makeUser("carol")
        func type(_ response: TestResponse) throws -> String? { try response.object()["type"] as? String }

        let notMember = try server.typing(room, carol)
        #expect(notMember.status == 403)
        #expect(try type(notMember) == "https://chat.example/problems/not-a-member")
        #expect(try type(server.typing(room, alice, authorization: TestTokens.bearer(of: carol))) == "https://chat.example/problems/wrong-user")
        #expect(try server.typing(room, alice, authorization: "").status == 401)
        #expect(try server.typing("nope", alice).status == 404)
        let unknownField = try server.typing(room, alice, extra: ["text": "hel"])
        #expect(unknownField.status == 400)
        #expect(try type(unknownField) == "https://chat.example/problems/validation")
        // A refused request does not count against the interval: alice's first accepted one is broadcast.
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let bobStream = try server.openStream(room, userId: bob)
        #expect(try server.typing(room, alice).status == 204)
        #expect(try bobStream.next()?.type == "typing")
    }

    @Test func typingReachesStreamsOnAnotherInstance() throws {
        let (first, second, schema) = try TestServer.postgresPair()
        let (room, alice) = try first.makeMember("alice")  // 1
        let bob = try first.makeUser("bob  b")
        _ = try first.join(room, bob)  // 2
        let stream = try first.openStream(room, userId: alice)
        let own = try second.openStream(room, userId: bob)
        #expect(try second.typing(room, bob).status == 204)
        _ = try second.post(room, bob, "hi")  // 3
        let events = try stream.next(2)
        #expect(events.map(\.type) == ["typing", "message"])
        #expect(events[0].id == nil)
        #expect(events[0].payload["userId"] as? String == bob)
        #expect(events[0].payload["name"] as? String == "bob  b")
        #expect(events[1].id == "3")
        #expect(try own.next()?.id == "3")
        // Nothing in the table: the events are the joins and the message.
        let rows = try TestDatabase.run("SELECT kind FROM \(schema).events ORDER BY seq")
        #expect(rows.rows.map { $0[0] ?? "" } == ["join", "join", "message"])
    }

    @Test func aSecondInstanceDoesNotBroadcastWithinTheInterval() throws {
        let (first, second, _) = try TestServer.postgresPair()
        let (room, alice) = try first.makeMember("alice")  // 1
        let bob = try first.makeUser("bob")
        _ = try first.join(room, bob)  // 2
        let onFirst = try first.openStream(room, userId: bob)
        let onSecond = try second.openStream(room, userId: bob)
        // Each instance's throttle lets alice's first request through; only the first is shown,
        // on both instances.
        #expect(try first.typing(room, alice).status == 204)
        #expect(try second.typing(room, alice).status == 204)
        _ = try first.post(room, alice, "hi")  // 3
        for stream in [onFirst, onSecond] {
            let events = try stream.next(2)
            #expect(events.map(\.type) == ["typing", "message"])
        }
    }
}
