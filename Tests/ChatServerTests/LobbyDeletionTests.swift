import Foundation
import Testing
@testable import ChatServer

/// Deleting a lobby (`DELETE /chat/{room}`), the same on both stores over real sockets: any
/// member may; every stream gets `closed` and ends; the code then names nothing, is free, and
/// no longer counts toward the cap.
@Suite struct LobbyDeletionTests {
    @Test(arguments: StoreKind.all) func aMemberDeletesTheLobbyAndEveryStreamGetsClosedThenEnds(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.maxLobbies = 1 }
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        let carol = try server.makeUser("carol")
        _ = try server.join(room, bob)
        _ = try server.post(room, alice, "bye")  // seq 3
        let alices = try server.openStream(room, userId: alice)
        let bobs = try server.openStream(room, userId: bob)
        #expect(try server.deleteLobby(room, carol).status == 403)
        #expect(try server.deleteLobby(room, bob).status == 204)
        for stream in [alices, bobs] {
            let closed = try #require(try stream.next())
            #expect(closed.type == "closed")
            #expect(closed.id == "4")
            #expect(closed.payload["room"] as? String == room)
            #expect(closed.payload["userId"] as? String == bob)
            #expect(closed.payload["name"] as? String == "bob")
            #expect(try stream.next() == nil)
        }
        #expect(try waitUntil { server.store.subscriberCount(room) == 0 })
        for (method, target) in [("GET", "/chat/\(room)"), ("GET", "/chat/\(room)/messages"), ("GET", "/chat/\(room)/members")] {
            #expect(try server.request(method, target).status == 404)
        }
        #expect(try server.post(room, alice, "anyone?").status == 404)
        #expect(try server.join(room, alice).status == 404)
        #expect(try server.deleteLobby(room, alice).status == 404)
        #expect(try server.openStream(room, userId: alice).head.status == 404)
        let lobbies = try server.request("GET", "/chat/users/\(alice)/lobbies", authorization: TestTokens.bearer(of: alice))
        #expect((try lobbies.json() as? [Any])?.isEmpty == true)
        // The cap is 1: the code is free, and the deleted lobby no longer counts.
        #expect(try server.makeLobby(room) == room)
        _ = try server.join(room, alice)
        let fresh = try server.openStream(room, userId: alice, lastEventId: 0)
        let join = try #require(try fresh.next())
        #expect(join.type == "join")
        #expect(join.id == "1")
    }

    @Test(arguments: StoreKind.all) func deletingNeedsTheMembersToken(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        #expect(try server.request("DELETE", "/chat/\(room)?userId=\(alice)").status == 401)
        #expect(try server.request("DELETE", "/chat/\(room)?userId=\(alice)", authorization: TestTokens.bearer(of: bob)).status == 403)
        #expect(try server.request("DELETE", "/chat/\(room)", authorization: TestTokens.bearer(of: alice)).status == 400)
        #expect(try server.request("GET", "/chat/\(room)").status == 200)
    }
}

/// The PostgreSQL store's part: the followers of other instances learn of the deletion from
/// the table, and a lobby made again with the code is never taken for the deleted one.
@Suite(.enabled(if: StoreKind.databaseURL != nil, StoreKind.skipReason))
struct PostgresLobbyDeletionTests {
    @Test func aDeletionThroughOneInstanceEndsTheStreamsOnAnother() throws {
        let (a, b, _) = try TestServer.postgresPair()
        let (room, alice) = try a.makeMember("alice")
        let bob = try a.makeUser("bob")
        _ = try a.join(room, bob)
        let onB = [try b.openStream(room, userId: alice), try b.openStream(room, userId: bob)]
        let onA = try a.openStream(room, userId: bob)
        _ = try b.post(room, bob, "last words")  // seq 3, so B's follower has a cursor past the snapshot
        for stream in onB + [onA] { #expect(try stream.next()?.id == "3") }
        #expect(try a.deleteLobby(room, alice).status == 204)
        for stream in onB + [onA] {
            let closed = try #require(try stream.next())
            #expect(closed.type == "closed")
            #expect(closed.id == "4")
            #expect(closed.payload["userId"] as? String == alice)
            #expect(try stream.next() == nil)
        }
        #expect(try waitUntil { b.store.subscriberCount(room) == 0 })
        #expect(try b.request("GET", "/chat/\(room)").status == 404)
        #expect(try b.openStream(room, userId: bob).head.status == 404)
        // Made again through B, the code is a new lobby: B's streams on it live, from seq 1.
        #expect(try b.makeLobby(room) == room)
        _ = try a.join(room, bob)
        let again = try b.openStream(room, userId: bob, lastEventId: 0)
        #expect(try again.next()?.id == "1")
        #expect(try a.post(room, bob, "new").status == 201)
        let message = try #require(try again.next())
        #expect(message.type == "message")
        #expect(message.id == "2")
    }
}

extension ChatServerClient {
    /// `DELETE /chat/{room}?userId=` as that user.
    func deleteLobby(_ room: String, _ userId: String) throws -> TestResponse {
        try request("DELETE", "/chat/\(room)?userId=\(userId)", authorization: TestTokens.bearer(of: userId))
    }
}
