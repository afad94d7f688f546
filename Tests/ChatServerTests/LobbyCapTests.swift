import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// The per-user lobby cap (`ChatLimits.maxLobbiesPerUser`), the same on both stores over real
/// sockets: a join past it is 409 `too-many-lobbies` and changes nothing; joining a lobby one is
/// in is no second membership; a leave or a deletion frees a slot; concurrent joins of one user
/// (on PostgreSQL through two instances) never pass it.
@Suite struct LobbyCapTests {
    /// The names of the lobbies `userId` is in, as `GET /chat/users/{userId}/lobbies` lists them.
    static func lobbies(of userId: String, on server: TestServer) throws -> [String] {
        let response = try server.request("GET", "/chat/users/\(userId)/lobbies", authorization: TestTokens.bearer(of: userId))
        return (try response.json() as? [[String: Any]] ?? []).compactMap { $0["room"] as? String }
    }

    @Test(arguments: StoreKind.all) func aJoinPastTheCapIsRefusedAndALeaveOrADeletionFreesASlot(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.maxLobbiesPerUser = 3 }
        let alice = try server.makeUser("alice")
        let rooms = try (0..<3).map { _ in try server.makeLobby() }
        for room in rooms { #expect(try server.join(room, alice).status == 200) }
        let extra = try server.makeLobby()
        let refused = try server.join(extra, alice)
        #expect(refused.status == 409)
        let problem = try refused.object()
        #expect(problem["type"] as? String == "https://chat.example/problems/too-many-lobbies")
        #expect(problem["title"] as? String == "Conflict")
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.contains("3 lobbies") && detail.contains("leave"))
        // Nothing changed: the lobby has no member, and alice is in her three.
        #expect((try server.request("GET", "/chat/\(extra)").object()["members"] as? [Any])?.isEmpty == true)
        #expect(try Self.lobbies(of: alice, on: server) == rooms)
        // Joining a lobby she is in again is still 200, and not a second membership.
        #expect(try server.join(rooms[0], alice).status == 200)
        #expect(try server.join(extra, alice).status == 409)
        // The cap is per user.
        let bob = try server.makeUser("bob")
        #expect(try server.join(extra, bob).status == 200)
        // A leave frees a slot, which the next join takes.
        #expect(try server.leave(rooms[0], alice).status == 200)
        #expect(try server.join(extra, alice).status == 200)
        #expect(try server.join(rooms[0], alice).status == 409)
        // So does a deletion of one of her lobbies.
        #expect(try server.deleteLobby(rooms[1], alice).status == 204)
        #expect(try server.join(rooms[0], alice).status == 200)
        #expect(try Self.lobbies(of: alice, on: server) == [rooms[2], extra, rooms[0]])
    }

    /// Alice joins 24 lobbies at once, through two instances on PostgreSQL (one on memory),
    /// three times over with a fresh user: exactly the cap's joins succeed each time, and the
    /// store holds exactly that many memberships. A count taken before the insert without the
    /// user's row held would let two joins both see a free slot.
    @Test(arguments: StoreKind.all) func concurrentJoinsOfOneUserNeverPassTheCap(_ store: StoreKind) throws {
        let cap = 5
        let schema = StoreKind.newSchema()
        let configure: (inout ChatServerConfiguration) -> Void = { $0.chat.maxLobbiesPerUser = cap }
        let first = try TestServer(store: store, schema: schema, configure)
        let second = store == .postgres ? try TestServer(store: store, schema: schema, configure) : first
        let attempts = 24
        for round in 0..<3 {
            let alice = try first.makeUser("alice-\(round)")
            let rooms = try (0..<attempts).map { _ in try first.makeLobby() }
            let statuses = Mutex<[Int]>([])
            let group = DispatchGroup()
            for (index, room) in rooms.enumerated() {
                Thread.detachNewThread(inGroup: group) {
                    let status = (try? (index % 2 == 0 ? first : second).join(room, alice).status) ?? 0
                    statuses.withLock { $0.append(status) }
                }
            }
            #expect(group.wait(timeout: .now() + 30) == .success)
            let answered = statuses.withLock { $0 }
            #expect(answered.count(where: { $0 == 200 }) == cap, "round \(round): \(answered.sorted())")
            #expect(answered.count(where: { $0 == 409 }) == attempts - cap, "round \(round): \(answered.sorted())")
            #expect(try Self.lobbies(of: alice, on: second).count == cap)
            if store == .postgres {
                let rows = try TestDatabase.run("SELECT count(*) FROM \(schema).members WHERE user_id = $1", [alice])
                #expect(rows.first("count") == String(cap))
            }
        }
    }
}
