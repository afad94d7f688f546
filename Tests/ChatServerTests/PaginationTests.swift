import Foundation
import Testing
@testable import ChatServer

/// Bounded answers: the lists come a page at a time, with the next page in `Link`, and a
/// lobby's answers list only its first members however large it is. Both stores.
@Suite struct PaginationTests {
    /// Follows `Link: <…>; rel="next"` from `target` to the end; every page's ids, in order.
    func allPages(_ server: TestServer, _ target: String) throws -> [[String]] {
        var pages: [[String]] = []
        var next: String? = target
        for _ in 0..<1000 {
            guard let current = next else { break }
            let response = try server.request("GET", current)
            #expect(response.status == 200)
            let items = try #require(try response.json() as? [[String: Any]])
            pages.append(items.compactMap { ($0["id"] ?? $0["room"]) as? String })
            next = response.header("Link").flatMap { link in
                link.hasSuffix(#">; rel="next""#) && link.hasPrefix("<") ? String(link.dropFirst().dropLast(13)) : nil
            }
        }
        return pages
    }

    @Test(arguments: StoreKind.all) func usersLobbiesAndMembersArePagedInOrderWithLinkToTheNext(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let users = try (0..<7).map { try server.makeUser("u\($0)") }
        let lobbies = try (0..<5).map { _ in try server.makeLobby() }
        for user in users { _ = try server.join(lobbies[0], user) }

        let userPages = try allPages(server, "/chat/users?limit=3")
        #expect(userPages.map(\.count) == [3, 3, 1])
        #expect(userPages.flatMap { $0 } == users)
        let lobbyPages = try allPages(server, "/chat?limit=2")
        #expect(lobbyPages.flatMap { $0 } == lobbies)
        #expect(lobbyPages.dropLast().allSatisfy { $0.count == 2 })
        let memberPages = try allPages(server, "/chat/\(lobbies[0])/members?limit=4")
        #expect(memberPages.flatMap { $0 } == users)
        #expect(memberPages.map(\.count) == [4, 3])
        // The default page is 100, the largest 1000.
        #expect(try server.request("GET", "/chat/users").header("Link") == nil)
        #expect(try server.request("GET", "/chat/users?limit=1001").status == 400)
        #expect(try server.request("GET", "/chat/nope/members").status == 404)
    }

    /// A cursor is the key of the last item shown, not a position: what goes between two pages
    /// (a deleted lobby, a member who left) makes the next page skip nothing and repeat nothing.
    @Test(arguments: StoreKind.all) func removingShownItemsBetweenPagesSkipsNothing(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let users = try (0..<6).map { try server.makeUser("p\($0)") }
        let lobbies = try (0..<6).map { _ in try server.makeLobby() }
        for user in users { _ = try server.join(lobbies[0], user) }
        _ = try server.join(lobbies[1], users[0])

        let first = try server.request("GET", "/chat?limit=2")
        let next = try #require(first.header("Link").map { String($0.dropFirst().dropLast(13)) })
        #expect(try server.deleteLobby(lobbies[1], users[0]).status == 204)
        let second = try #require(try server.request("GET", next).json() as? [[String: Any]])
        #expect(second.compactMap { $0["room"] as? String } == [lobbies[2], lobbies[3]])

        let members = try server.request("GET", "/chat/\(lobbies[0])/members?limit=3")
        let nextMembers = try #require(members.header("Link").map { String($0.dropFirst().dropLast(13)) })
        for user in users.prefix(2) { #expect(try server.leave(lobbies[0], user).status == 200) }
        let rest = try #require(try server.request("GET", nextMembers).json() as? [[String: Any]])
        #expect(rest.compactMap { $0["id"] as? String } == Array(users.suffix(3)))
    }

    @Test(arguments: StoreKind.all) func aLargeLobbysAnswersListItsFirstMembersAndHowManyItHas(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.lobbyMembersShown = 3 }
        let room = try server.makeLobby()
        let users = try (0..<5).map { try server.makeUser("m\($0)") }
        var last: [String: Any] = [:]
        for user in users { last = try server.join(room, user).object() }
        let shown = (last["members"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
        #expect(shown == Array(users.prefix(3)))
        #expect(last["memberCount"] as? Int == 5)
        let lobby = try server.request("GET", "/chat/\(room)").object()
        #expect(lobby["memberCount"] as? Int == 5)
        #expect((lobby["members"] as? [Any])?.count == 3)
        let small = try server.request("POST", "/chat", json: "{}").object()
        #expect(small["memberCount"] == nil, "a lobby that shows all its members says nothing more")
    }
}
