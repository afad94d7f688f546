import Foundation
import Testing
@testable import ChatServer

extension ChatServerClient {
    /// `PATCH /chat/{room}/messages/{id}` as `userId` (with their token unless `authorization` says otherwise).
    func edit(_ room: String, _ id: String, _ userId: String, _ content: String, authorization: String? = nil) throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["userId": userId, "content": content])
        return try request(
            "PATCH", "/chat/\(room)/messages/\(id)", json: String(decoding: body, as: UTF8.self),
            authorization: authorization ?? TestTokens.bearer(of: userId))
    }

    /// `DELETE /chat/{room}/messages/{id}?userId=` as `userId`.
    func deleteMessage(_ room: String, _ id: String, _ userId: String, authorization: String? = nil) throws -> TestResponse {
        try request("DELETE", "/chat/\(room)/messages/\(id)?userId=\(userId)", authorization: authorization ?? TestTokens.bearer(of: userId))
    }

    /// Posts and returns the new message's id.
    func postedId(_ room: String, _ userId: String, _ message: String) throws -> String {
        let response = try post(room, userId, message)
        guard response.status == 201, let id = try response.object()["id"] as? String else {
            throw TestConnection.Failure(description: "post: \(response.status) \(response.text)")
        }
        return id
    }

    /// The lobby's history (the latest 1000, or after `after`).
    func history(_ room: String, after: Int? = nil) throws -> [[String: Any]] {
        let response = try request("GET", "/chat/\(room)/messages?limit=1000" + (after.map { "&after=\($0)" } ?? ""))
        guard response.status == 200, let items = try response.json() as? [[String: Any]] else {
            throw TestConnection.Failure(description: "history: \(response.status) \(response.text)")
        }
        return items
    }
}

/// Editing and deleting one's own message (`PATCH`/`DELETE /chat/{room}/messages/{messageId}`)
/// over real sockets, on both stores: the events live and on resume, history, unread counts,
/// who may, and two PostgreSQL instances.
@Suite struct MessageEditingTests {
    @Test(arguments: StoreKind.all) func anAuthorEditsAndDeletesWithEventsOfTheirOwnAndHistoryFollows(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")  // 1
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        let stream = try server.openStream(room, userId: bob)
        let helo = try server.postedId(room, alice, "helo")  // 3
        let other = try server.postedId(room, alice, "other")  // 4

        let edited = try server.edit(room, helo, alice, "hello")  // 5
        #expect(edited.status == 200, "\(edited.text)")
        let message = try edited.object()
        #expect(message["id"] as? String == helo)
        #expect(message["seq"] as? Int == 3)
        #expect(message["content"] as? String == "hello")
        let editedAt = try #require(message["editedAt"] as? String)
        #expect(message["deleted"] == nil)

        let deleted = try server.deleteMessage(room, other, alice)  // 6
        #expect(deleted.status == 200, "\(deleted.text)")
        #expect(try deleted.object()["deleted"] as? Bool == true)
        #expect(try deleted.object()["content"] as? String == "")
        #expect(try deleted.object()["seq"] as? Int == 4)
        // Deleting again answers the tombstone and emits nothing; editing it is 409.
        let again = try server.deleteMessage(room, other, alice)
        #expect(again.status == 200)
        #expect(try again.object()["deleted"] as? Bool == true)
        let conflict = try server.edit(room, other, alice, "back")
        #expect(conflict.status == 409)
        #expect(try conflict.object()["type"] as? String == "https://chat.example/problems/message-deleted")
        _ = try server.post(room, bob, "after")  // 7

        let events = try stream.next(5)
        #expect(events.map(\.id) == ["3", "4", "5", "6", "7"])
        #expect(events.map(\.type) == ["message", "message", "edit", "delete", "message"])
        #expect(events[2].payload["id"] as? String == helo)
        #expect(events[2].payload["seq"] as? Int == 3)
        #expect(events[2].payload["content"] as? String == "hello")
        #expect(events[2].payload["editedAt"] as? String == editedAt)
        #expect(events[2].payload["room"] as? String == room)
        #expect(events[3].payload["id"] as? String == other)
        #expect(events[3].payload["seq"] as? Int == 4)

        // History: the current text with editedAt, the tombstone at its seq, paging by seq unchanged.
        let history = try server.history(room)
        #expect(history.map { $0["seq"] as? Int } == [3, 4, 7])
        #expect(history[0]["content"] as? String == "hello")
        #expect(history[0]["editedAt"] as? String == editedAt)
        #expect(history[1]["content"] as? String == "")
        #expect(history[1]["deleted"] as? Bool == true)
        #expect(history[2]["deleted"] == nil && history[2]["editedAt"] == nil)
        #expect(try server.history(room, after: 3).map { $0["seq"] as? Int } == [4, 7])
    }

    @Test(arguments: StoreKind.all) func onlyTheAuthorAndAMemberMayChangeAMessage(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        let carol = try server.makeUser("carol")
        _ = try server.join(room, bob)
        let id = try server.postedId(room, alice, "mine")
        func type(_ response: TestResponse) throws -> String? { try response.object()["type"] as? String }

        #expect(try type(server.edit(room, id, bob, "theirs")) == "https://chat.example/problems/not-the-author")
        #expect(try type(server.deleteMessage(room, id, bob)) == "https://chat.example/problems/not-the-author")
        #expect(try type(server.edit(room, id, carol, "x")) == "https://chat.example/problems/not-a-member")
        #expect(try type(server.deleteMessage(room, id, alice, authorization: TestTokens.bearer(of: bob))) == "https://chat.example/problems/wrong-user")
        #expect(try server.edit(room, id, alice, "x", authorization: "").status == 401)
        #expect(try server.request("DELETE", "/chat/\(room)/messages/\(id)?userId=\(alice)").status == 401)
        #expect(try server.edit(room, UUID().uuidString.lowercased(), alice, "x").status == 404)
        #expect(try server.edit("nope", id, alice, "x").status == 404)
        #expect(try server.edit(room, "not-a-uuid", alice, "x").status == 404)
        #expect(try server.request("DELETE", "/chat/\(room)/messages/\(id)", authorization: TestTokens.bearer(of: alice)).status == 400)
        // The content is checked as a post's, and may not be blank.
        for content in ["", " \n\t", String(repeating: "x", count: 4001), "a\u{0}b"] {
            let refused = try server.edit(room, id, alice, content)
            #expect(refused.status == 400, "\(content.prefix(5).debugDescription)")
            #expect(try type(refused) == "https://chat.example/problems/validation")
        }
        // Nothing of that changed the message; after leaving, the author may not change it.
        #expect(try server.history(room).first?["content"] as? String == "mine")
        _ = try server.leave(room, alice)
        #expect(try type(server.deleteMessage(room, id, alice)) == "https://chat.example/problems/not-a-member")
    }

    @Test(arguments: StoreKind.all) func aStreamResumingAcrossAnEditGetsTheEditAndTheDeletion(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")  // 1
        let first = try server.openStream(room, userId: alice)
        let id = try server.postedId(room, alice, "draft")  // 2
        #expect(try first.next(1).map(\.id) == ["2"])
        first.close()
        _ = try server.edit(room, id, alice, "final")  // 3
        _ = try server.deleteMessage(room, id, alice)  // 4
        let resumed = try server.openStream(room, userId: alice, lastEventId: 2)
        let replayed = try resumed.next(2)
        #expect(replayed.map(\.id) == ["3", "4"])
        #expect(replayed.map(\.type) == ["edit", "delete"])
        #expect(replayed.allSatisfy { $0.payload["id"] as? String == id && $0.payload["seq"] as? Int == 2 })
        let later = try server.postedId(room, alice, "live")  // 5
        let live = try resumed.next(1)
        #expect(live.map(\.id) == ["5"])
        #expect(live.first?.payload["id"] as? String == later)
        // From before the message: the message, then what became of it.
        let fromStart = try server.openStream(room, userId: alice, lastEventId: 1)
        #expect(try fromStart.next(4).map(\.type) == ["message", "edit", "delete", "message"])
    }

    @Test(arguments: StoreKind.all) func aDeletedMessageIsNotUnread(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember("alice")  // 1
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        let one = try server.postedId(room, bob, "one")  // 3
        _ = try server.postedId(room, bob, "two")  // 4
        let mine = try server.postedId(room, alice, "mine")  // 5
        func unread(_ userId: String) throws -> Int? {
            let response = try server.request("GET", "/chat/users/\(userId)/lobbies", authorization: TestTokens.bearer(of: userId))
            return (try response.json() as? [[String: Any]])?.first?["unread"] as? Int
        }
        #expect(try unread(alice) == 2)
        #expect(try unread(bob) == 1)
        _ = try server.deleteMessage(room, one, bob)  // 6
        #expect(try unread(alice) == 1)
        // An edit changes no count; one's own deleted message counts for nobody twice.
        _ = try server.edit(room, mine, alice, "mine, edited")  // 7
        #expect(try unread(bob) == 1)
        _ = try server.deleteMessage(room, mine, alice)  // 8
        #expect(try unread(bob) == 0)
        #expect(try unread(alice) == 1)
        let read = try server.request(
            "PUT", "/chat/\(room)/read", json: #"{"userId":"\#(alice)","seq":3}"#, authorization: TestTokens.bearer(of: alice))
        #expect(try read.object()["unread"] as? Int == 1)
    }

    @Test func aBlankEditIsRefusedByTheSpecAndByTheStore() throws {
        let server = try TestServer()
        let (room, alice) = try server.makeMember("alice")
        let id = try server.postedId(room, alice, "hi")
        let refused = try server.edit(room, id, alice, "\u{3000}\u{FEFF} \n")
        #expect(refused.status == 400)
        #expect((try refused.object()["errors"] as? [[String: String]])?.map { $0["field"] } == ["body.content"])
        // U+0085 is no white space to JSON Schema's `\s`, so not to the store either.
        #expect(try server.edit(room, id, alice, "\u{85}").status == 200)
        #expect(throws: ChatError.invalidEdit(reason: "must not be blank")) {
            try server.memoryStore.edit(room, messageId: id, userId: alice, content: " \t ")
        }
    }

    @Test func theMemoryStoreCountsEditsInItsBudgetAndForgetsTrimmedMessages() throws {
        var limits = ChatLimits()
        limits.retainedBytesBudget = 60_000
        let server = try TestServer { $0.chat = limits }
        let (room, alice) = try server.makeMember("alice")
        let first = try server.postedId(room, alice, "short")
        let costs = { server.memoryStore.state.withLock { state in
            let lobby = state.lobbies[room]!
            return (lobby.messageBytes, lobby.messages.reduce(0) { $0 + StoredLobby.cost(of: $1) }, state.retainedBytes, lobby.retainedBytes)
        } }
        _ = try server.edit(room, first, alice, String(repeating: "e", count: 3000))
        var (bytes, sum, total, lobbyTotal) = costs()
        #expect(bytes == sum)
        #expect(total == lobbyTotal)
        #expect(bytes > 3000)
        _ = try server.deleteMessage(room, first, alice)
        (bytes, sum, total, lobbyTotal) = costs()
        #expect(bytes == sum && bytes < 1000)
        #expect(total == lobbyTotal)
        // Past the budget the oldest go, and with them their index entries: 404.
        for index in 0..<40 { _ = try server.post(room, alice, String(repeating: "\(index % 10)", count: 3000)) }
        #expect(try server.deleteMessage(room, first, alice).status == 404)
        let kept = try server.history(room)
        #expect(kept.count < 41)
        let oldest = try #require(kept.first?["id"] as? String)
        #expect(try server.edit(room, oldest, alice, "still here").status == 200)
        (bytes, sum, total, lobbyTotal) = costs()
        #expect(bytes == sum)
        #expect(total == lobbyTotal)
    }

    @Test func editsAndDeletionsReachStreamsOnAnotherInstance() throws {
        let (first, second, schema) = try TestServer.postgresPair()
        let (room, alice) = try first.makeMember("alice")  // 1
        let stream = try first.openStream(room, userId: alice)
        let id = try second.postedId(room, alice, "helo")  // 2
        _ = try second.edit(room, id, alice, "hello")  // 3
        var events = try stream.next(2)
        _ = try second.deleteMessage(room, id, alice)  // 4
        events += try stream.next(1)
        #expect(events.map(\.id) == ["2", "3", "4"])
        #expect(events.map(\.type) == ["message", "edit", "delete"])
        // Read before the deletion (which empties the text of the rows a later read finds).
        #expect(events[1].payload["content"] as? String == "hello")
        #expect(try first.history(room).first?["deleted"] as? Bool == true)
        // The deletion left no copy of the text in the table: the message row and its edit are emptied.
        let rows = try TestDatabase.run("SELECT kind, coalesce(content, '') FROM \(schema).events WHERE message_id = $1 ORDER BY seq", [id])
        #expect(rows.rows.map { $0[0] ?? "" } == ["message", "edit", "delete"])
        #expect(rows.rows.allSatisfy { $0[1] == "" })
    }
}
