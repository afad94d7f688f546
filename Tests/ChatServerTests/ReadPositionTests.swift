import Foundation
import Testing
@testable import ChatServer

/// Read positions and unread counts (`PUT /chat/{room}/read`, `GET /chat/users/{userId}/lobbies`)
/// over real sockets, on both stores.
@Suite struct ReadPositionTests {
    /// Marks `room` read up to `seq` as `userId` (with their token unless `authorization` says otherwise).
    func markRead(_ server: TestServer, _ room: String, _ userId: String, _ seq: Int, authorization: String? = nil) throws -> TestResponse {
        try server.request(
            "PUT", "/chat/\(room)/read", json: #"{"userId":"\#(userId)","seq":\#(seq)}"#,
            authorization: authorization ?? TestTokens.bearer(of: userId))
    }

    /// `userId`'s lobbies (first page, or `target`) as (room, lastSeq, readSeq, unread).
    func lobbies(_ server: TestServer, _ userId: String, query: String = "") throws -> [Reading] {
        let response = try server.request("GET", "/chat/users/\(userId)/lobbies\(query)", authorization: TestTokens.bearer(of: userId))
        #expect(response.status == 200, "\(response.text)")
        let items = try #require(try response.json() as? [[String: Any]])
        return items.map(Reading.init)
    }

    struct Reading: Equatable, CustomStringConvertible {
        var room: String
        var lastSeq: Int
        var readSeq: Int
        var unread: Int

        init(_ room: String, lastSeq: Int, readSeq: Int, unread: Int) {
            (self.room, self.lastSeq, self.readSeq, self.unread) = (room, lastSeq, readSeq, unread)
        }

        init(_ object: [String: Any]) {
            self.init(
                object["room"] as? String ?? "?", lastSeq: object["lastSeq"] as? Int ?? -1, readSeq: object["readSeq"] as? Int ?? -1,
                unread: object["unread"] as? Int ?? -1)
        }

        var description: String { "\(room) last \(lastSeq) read \(readSeq) unread \(unread)" }
    }

    @Test(arguments: StoreKind.all) func unreadCountsOtherUsersMessagesAfterAPositionThatOnlyGrows(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let alice = try server.makeUser("alice")
        let bob = try server.makeUser("bob")
        let general = try server.makeLobby()
        let second = try server.makeLobby()
        _ = try server.join(general, alice)  // 1
        _ = try server.join(general, bob)  // 2
        _ = try server.join(second, alice)  // second's 1
        _ = try server.post(general, bob, "one")  // 3
        _ = try server.post(general, bob, "two")  // 4
        _ = try server.post(general, alice, "mine")  // 5

        // Positions start at the join; one's own messages are never unread.
        #expect(try lobbies(server, alice) == [Reading(general, lastSeq: 5, readSeq: 1, unread: 2), Reading(second, lastSeq: 1, readSeq: 1, unread: 0)])
        #expect(try lobbies(server, bob) == [Reading(general, lastSeq: 5, readSeq: 2, unread: 1)])

        let read = try markRead(server, general, alice, 3)
        #expect(read.status == 200)
        #expect(Reading(try read.object()) == Reading(general, lastSeq: 5, readSeq: 3, unread: 1))
        #expect(try read.object()["createdAt"] as? String != nil)
        // Backwards changes nothing and answers the position as it is.
        #expect(Reading(try markRead(server, general, alice, 2).object()) == Reading(general, lastSeq: 5, readSeq: 3, unread: 1))
        // Past the end is clamped to the latest event.
        #expect(Reading(try markRead(server, general, alice, 1_000_000).object()) == Reading(general, lastSeq: 5, readSeq: 5, unread: 0))
        _ = try server.post(general, bob, "three")  // 6
        #expect(try lobbies(server, alice).first == Reading(general, lastSeq: 6, readSeq: 5, unread: 1))

        // Leaving forgets the position; joining again starts it at the new join.
        _ = try server.leave(general, alice)  // 7
        #expect(try lobbies(server, alice).map(\.room) == [second])
        _ = try server.post(general, bob, "four")  // 8
        _ = try server.join(general, alice)  // 9
        #expect(try lobbies(server, alice) == [Reading(second, lastSeq: 1, readSeq: 1, unread: 0), Reading(general, lastSeq: 9, readSeq: 9, unread: 0)])
        _ = try server.post(general, bob, "five")  // 10
        #expect(try lobbies(server, alice).last == Reading(general, lastSeq: 10, readSeq: 9, unread: 1))
    }

    @Test(arguments: StoreKind.all) func aUsersLobbiesComeAPageAtATimeInJoinOrder(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let alice = try server.makeUser("alice")
        let rooms = try (0..<5).map { _ in try server.makeLobby() }
        for room in rooms.reversed() { _ = try server.join(room, alice) }
        _ = try server.leave(rooms[2], alice)
        let expected = rooms.reversed().filter { $0 != rooms[2] }
        var seen: [String] = []
        var query = "?limit=2"
        for _ in 0..<10 {
            let response = try server.request("GET", "/chat/users/\(alice)/lobbies\(query)", authorization: TestTokens.bearer(of: alice))
            #expect(response.status == 200)
            let items = try #require(try response.json() as? [[String: Any]])
            #expect(items.count <= 2)
            seen += items.compactMap { $0["room"] as? String }
            guard let link = response.header("Link") else { break }
            let target = try #require(link.hasPrefix("<") && link.hasSuffix(#">; rel="next""#) ? String(link.dropFirst().dropLast(13)) : nil)
            #expect(target.hasPrefix("/chat/users/\(alice)/lobbies?limit=2&after="))
            query = String(target.dropFirst("/chat/users/\(alice)/lobbies".count))
        }
        #expect(seen == Array(expected))
        #expect(try server.request("GET", "/chat/users/\(alice)/lobbies?limit=1001", authorization: TestTokens.bearer(of: alice)).status == 400)
    }

    @Test(arguments: StoreKind.all) func onlyMembersMarkAndOnlyTheUserListsTheirOwn(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")
        let carol = try server.makeUser("carol")
        let notMember = try markRead(server, room, carol, 1)
        #expect(notMember.status == 403)
        #expect(try notMember.object()["type"] as? String == "https://chat.example/problems/not-a-member")
        #expect(try markRead(server, "nope", alice, 1).status == 404)
        #expect(try markRead(server, room, alice, 1, authorization: TestTokens.bearer(of: carol)).status == 403)
        #expect(try server.request("PUT", "/chat/\(room)/read", json: #"{"userId":"\#(alice)","seq":1}"#).status == 401)
        #expect(try server.request("PUT", "/chat/\(room)/read", json: #"{"userId":"\#(alice)","seq":-1}"#, authorization: TestTokens.bearer(of: alice)).status == 400)
        #expect(try server.request("PUT", "/chat/\(room)/read", json: #"{"userId":"\#(alice)"}"#, authorization: TestTokens.bearer(of: alice)).status == 400)
        // JSON Schema's integer: a number without a fractional part is one, with one it is not.
        #expect(try server.request("PUT", "/chat/\(room)/read", json: #"{"userId":"\#(alice)","seq":1.0}"#, authorization: TestTokens.bearer(of: alice)).status == 200)
        #expect(try server.request("PUT", "/chat/\(room)/read", json: #"{"userId":"\#(alice)","seq":1.5}"#, authorization: TestTokens.bearer(of: alice)).status == 400)
        let others = try server.request("GET", "/chat/users/\(alice)/lobbies", authorization: TestTokens.bearer(of: carol))
        #expect(others.status == 403)
        #expect(try others.object()["type"] as? String == "https://chat.example/problems/wrong-user")
        #expect(try server.request("GET", "/chat/users/\(alice)/lobbies").status == 401)
        #expect(try lobbies(server, carol).isEmpty)
    }

    @Test(arguments: StoreKind.all) func withoutTokensAnUnknownUserIsNotFound(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.authentication = .none }
        let room = try server.makeLobby()
        let ghost = "00000000-0000-4000-8000-000000000000"
        let listed = try server.request("GET", "/chat/users/\(ghost)/lobbies")
        #expect(listed.status == 404)
        #expect(try listed.object()["detail"] as? String == "user '\(ghost)' does not exist")
        #expect(try server.request("GET", "/chat/users/not-a-uuid/lobbies").status == 404)
        #expect(try server.request("PUT", "/chat/\(room)/read", json: #"{"userId":"\#(ghost)","seq":1}"#).status == 404)
    }

    @Test(arguments: StoreKind.all) func unreadIsCountedUpToTheCap(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.maxUnreadCounted = 3 }
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        for index in 0..<5 { _ = try server.post(room, bob, "m\(index)") }  // 3...7
        #expect(try lobbies(server, alice) == [Reading(room, lastSeq: 7, readSeq: 1, unread: 3)])
        #expect(Reading(try markRead(server, room, alice, 5).object()) == Reading(room, lastSeq: 7, readSeq: 5, unread: 2))
    }

    @Test func theMemoryStoreCountsWhatItKeepsAndForgetsOwnMessagesItDropped() throws {
        var limits = ChatLimits()
        limits.retainedBytesBudget = 100_000
        let server = try TestServer { $0.chat = limits }
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        let long = String(repeating: "z", count: 3000)
        for index in 0..<60 { _ = try server.post(room, index % 3 == 0 ? alice : bob, long) }
        let kept = try #require(try server.request("GET", "/chat/\(room)/messages?limit=1000").json() as? [[String: Any]])
        #expect(kept.count < 60, "the budget trimmed the oldest")
        let byOthers = kept.filter { $0["userId"] as? String == bob }.count
        #expect(try lobbies(server, alice) == [Reading(room, lastSeq: 62, readSeq: 1, unread: byOthers)])
        let ownKept = server.memoryStore.state.withLock { $0.readings.membership(alice, room)?.ownSeqs.count ?? -1 }
        #expect(ownKept <= kept.filter { $0["userId"] as? String == alice }.count + 2, "own seqs do not outgrow what the lobby keeps")
    }

    @Test func positionsAreSharedByInstancesOfOneDatabase() throws {
        let (first, second, _) = try TestServer.postgresPair()
        let (room, alice) = try first.makeMember("alice")
        let bob = try first.makeUser("bob")
        _ = try second.join(room, bob)  // 2
        _ = try second.post(room, bob, "hi")  // 3
        _ = try first.post(room, bob, "again")  // 4
        #expect(Reading(try markRead(first, room, alice, 3).object()) == Reading(room, lastSeq: 4, readSeq: 3, unread: 1))
        #expect(try lobbies(second, alice) == [Reading(room, lastSeq: 4, readSeq: 3, unread: 1)])
    }
}
