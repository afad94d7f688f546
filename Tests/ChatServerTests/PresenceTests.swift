import Foundation
import Testing
@testable import ChatServer

extension ChatServerClient {
    /// `GET /chat/{room}/presence`: the count and the ids listed.
    func presence(_ room: String, query: String = "") throws -> (online: Int, users: [String], response: TestResponse) {
        let response = try request("GET", "/chat/\(room)/presence\(query)")
        let body = try response.object()
        let users = (body["users"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        return (body["online"] as? Int ?? -1, users, response)
    }
}

extension EventStreamReader {
    /// The next `presence` event, past any other.
    func nextPresence() throws -> Event? {
        while let event = try next() {
            if event.type == "presence" { return event }
        }
        return nil
    }
}

extension EventStreamReader.Event {
    /// A presence event's changes as `userId online|offline`.
    var presenceChanges: [String] {
        (payload["changes"] as? [[String: Any]] ?? []).map { "\($0["userId"] as? String ?? "?") \($0["online"] as? Bool == true ? "online" : "offline")" }
    }
}

/// Presence over real sockets, on both stores: the list and the opt-in `presence` events follow
/// who holds a stream; a reconnect within the grace and a second stream are no offline/online
/// pair; a lobby's changes are coalesced per interval (a burst past 20 becomes a count);
/// PostgreSQL instances see each other's users, and an expired instance's users go offline.
@Suite struct PresenceTests {
    /// Short grace and interval, so a test waits little.
    static func quick(_ configuration: inout ChatServerConfiguration) {
        configuration.chat.presence.grace = .milliseconds(300)
        configuration.chat.presence.interval = .milliseconds(200)
    }

    @Test(arguments: StoreKind.all) func listAndEventsFollowWhoHoldsAStream(_ store: StoreKind) throws {
        let server = try TestServer(store: store, Self.quick)
        let (room, alice) = try server.makeMember("alice")  // 1
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        #expect(try server.presence(room).online == 0)

        let aliceStream = try server.openStream(room, userId: alice, presence: true)
        let own = try #require(try aliceStream.next())
        #expect(own.type == "presence" && own.id == nil)
        #expect(own.payload["online"] as? Int == 1)
        #expect(own.presenceChanges == ["\(alice) online"])
        let listed = try server.presence(room)
        #expect(listed.response.status == 200)
        #expect(listed.online == 1 && listed.users == [alice])

        let bobStream = try server.openStream(room, userId: bob)
        let came = try #require(try aliceStream.next())
        #expect(came.presenceChanges == ["\(bob) online"] && came.payload["online"] as? Int == 2)
        let both = try server.presence(room)
        #expect(both.online == 2 && both.users == [alice, bob].sorted())
        // Bob did not ask for presence: his next event is the message.
        _ = try server.post(room, alice, "hi")  // 3
        #expect(try bobStream.next()?.id == "3")
        #expect(try aliceStream.next()?.id == "3")

        bobStream.close()
        let went = try #require(try aliceStream.next())
        #expect(went.presenceChanges == ["\(bob) offline"] && went.payload["online"] as? Int == 1)
        #expect(try server.presence(room).users == [alice])
        // Not stored: history is the message alone.
        #expect(try server.history(room).map { $0["seq"] as? Int } == [3])
    }

    @Test(arguments: StoreKind.all) func aReconnectOrASecondStreamIsNoOfflineOnlinePair(_ store: StoreKind) throws {
        let server = try TestServer(store: store, Self.quick)
        let (room, alice) = try server.makeMember("alice")  // 1
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)  // 2
        let aliceStream = try server.openStream(room, userId: alice, presence: true)
        #expect(try aliceStream.next()?.presenceChanges == ["\(alice) online"])
        let first = try server.openStream(room, userId: bob)
        let second = try server.openStream(room, userId: bob)
        #expect(try aliceStream.next()?.presenceChanges == ["\(bob) online"])

        // One of two streams closes: bob stays online, past the grace.
        first.close()
        Thread.sleep(forTimeInterval: 0.8)
        _ = try server.post(room, alice, "marker")  // 3
        #expect(try aliceStream.next()?.id == "3")
        #expect(try server.presence(room).online == 2)

        // The last one closes and a new one opens at once: a reconnect, nothing is announced.
        second.close()
        let third = try server.openStream(room, userId: bob)
        Thread.sleep(forTimeInterval: 0.8)
        _ = try server.post(room, alice, "marker")  // 4
        #expect(try aliceStream.next()?.id == "4")

        // Closed for good: offline once, after the grace.
        let closedAt = Date()
        third.close()
        let went = try #require(try aliceStream.next())
        #expect(went.presenceChanges == ["\(bob) offline"])
        #expect(Date().timeIntervalSince(closedAt) >= 0.25)
    }

    @Test func aBurstIsCoalescedIntoOneCountedEvent() throws {
        let server = try TestServer { configuration in
            configuration.chat.presence.grace = .milliseconds(300)
            configuration.chat.presence.interval = .seconds(2)
        }
        let (room, alice) = try server.makeMember("alice")
        let aliceStream = try server.openStream(room, userId: alice, presence: true)
        #expect(try aliceStream.next()?.presenceChanges == ["\(alice) online"])
        // 25 users come online within the interval that alice's own event opened.
        var streams: [EventStreamReader] = []
        for index in 0..<25 {
            let (_, user) = try server.makeMember("user\(index)", room: room)
            streams.append(try server.openStream(room, userId: user))
        }
        let burst = try #require(try aliceStream.nextPresence())
        #expect(burst.type == "presence")
        #expect(burst.payload["online"] as? Int == 26)
        #expect(burst.payload["truncated"] as? Bool == true)
        #expect(burst.presenceChanges.isEmpty)
        let page = try server.presence(room, query: "?limit=10")
        #expect(page.online == 26 && page.users.count == 10)
        #expect(page.response.header("Link")?.contains("after=\(page.users[9])") == true)
    }

    @Test func instancesSeeEachOthersUsers() throws {
        let (first, second, _) = try TestServer.postgresPair(Self.quick)
        let (room, alice) = try first.makeMember("alice")
        let bob = try first.makeUser("bob  b")
        _ = try first.join(room, bob)
        let aliceStream = try first.openStream(room, userId: alice, presence: true)
        #expect(try aliceStream.next()?.presenceChanges == ["\(alice) online"])

        let bobStream = try second.openStream(room, userId: bob)
        let came = try #require(try aliceStream.next())
        #expect(came.presenceChanges == ["\(bob) online"] && came.payload["online"] as? Int == 2)
        #expect((came.payload["changes"] as? [[String: Any]])?.first?["name"] as? String == "bob  b")
        #expect(try first.presence(room).users == [alice, bob].sorted())
        #expect(try second.presence(room).online == 2)

        // Bob moves to the first instance within the grace: still one user, no pair.
        bobStream.close()
        let moved = try first.openStream(room, userId: bob)
        Thread.sleep(forTimeInterval: 0.8)
        _ = try second.post(room, alice, "marker")
        #expect(try aliceStream.next()?.type == "message")
        #expect(try second.presence(room).online == 2)
        moved.close()
        #expect(try aliceStream.next()?.presenceChanges == ["\(bob) offline"])
        #expect(try second.presence(room).users == [alice])
    }

    @Test func anExpiredInstancesUsersGoOffline() throws {
        try StoreKind.postgres.skipUnlessAvailable()
        let schema = StoreKind.newSchema()
        let server = try TestServer(store: .postgres, schema: schema) { configuration in
            Self.quick(&configuration)
            configuration.chat.presence.instanceHeartbeat = .milliseconds(200)
            configuration.chat.presence.instanceExpiry = .seconds(1)
        }
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let aliceStream = try server.openStream(room, userId: alice, presence: true)
        #expect(try aliceStream.next()?.presenceChanges == ["\(alice) online"])
        // Another instance counted bob online, then stopped without a word (killed): its
        // heartbeat stays where it was.
        _ = try TestDatabase.run("INSERT INTO \(schema).presence_instances (id) VALUES ('killed')")
        _ = try TestDatabase.run("SELECT \(schema).chat_presence('killed', $1, $2, true)", [room, bob])
        #expect(try aliceStream.next()?.presenceChanges == ["\(bob) online"])
        _ = try TestDatabase.run("UPDATE \(schema).presence_instances SET seen_at = now() - interval '1 minute' WHERE id = 'killed'")
        // Listed no more at once; announced offline at this instance's next heartbeat.
        #expect(try server.presence(room).users == [alice])
        let went = try #require(try aliceStream.next())
        #expect(went.presenceChanges == ["\(bob) offline"] && went.payload["online"] as? Int == 1)
        let left = try TestDatabase.run("SELECT count(*) FROM \(schema).presence WHERE instance = 'killed'")
        #expect(left.rows.first?[0] == "0")
    }

    @Test func aLobbysCountRowGoesOnceNobodyIsOnlineAndComesBack() throws {
        try StoreKind.postgres.skipUnlessAvailable()
        let schema = StoreKind.newSchema()
        let server = try TestServer(store: .postgres, schema: schema) { configuration in
            Self.quick(&configuration)
            configuration.chat.presence.instanceHeartbeat = .milliseconds(200)
        }
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        func countRow() -> String? {
            (try? TestDatabase.run("SELECT coalesce(max(online), -1) FROM \(schema).presence_counts WHERE room = $1", [room]))?.rows.first?[0] ?? nil
        }
        let aliceStream = try server.openStream(room, userId: alice)
        #expect(eventuallyTrue(timeout: 5) { countRow() == "1" })
        aliceStream.close()
        // Offline after the grace (300 ms); the next heartbeat (each 200 ms) deletes the row.
        #expect(eventuallyTrue(timeout: 5) { countRow() == "-1" }, "no row once nobody is online")
        // Counted again from no row, and announced.
        let bobStream = try server.openStream(room, userId: bob, presence: true)
        #expect(try bobStream.next()?.presenceChanges == ["\(bob) online"])
        let aliceAgain = try server.openStream(room, userId: alice)
        let came = try #require(try bobStream.next())
        #expect(came.presenceChanges == ["\(alice) online"] && came.payload["online"] as? Int == 2)
        #expect(countRow() == "2")
        aliceAgain.close()
    }

    /// A user stream counts in each of the user's lobbies, and with `presence=true` carries
    /// each lobby's presence events, naming the lobby.
    @Test(arguments: StoreKind.all) func aUserStreamCountsInEveryLobbyAndCarriesTheirEvents(_ store: StoreKind) throws {
        let server = try TestServer(store: store, Self.quick)
        let (first, alice) = try server.makeMember("alice")
        let second = try server.makeLobby()
        _ = try server.join(second, alice)
        let bob = try server.makeUser("bob")
        _ = try server.join(second, bob)

        let aliceStream = try server.openUserStream(alice, presence: true)
        #expect(aliceStream.head.status == 200)
        var rooms: Set<String> = []
        for _ in 0..<2 {
            let own = try #require(try aliceStream.nextPresence())
            #expect(own.id == nil && own.presenceChanges == ["\(alice) online"])
            rooms.insert(own.payload["room"] as? String ?? "?")
        }
        #expect(rooms == [first, second])
        #expect(try server.presence(first).users == [alice])
        #expect(try server.presence(second).users == [alice])

        let bobStream = try server.openUserStream(bob)
        let came = try #require(try aliceStream.nextPresence())
        #expect(came.payload["room"] as? String == second)
        #expect(came.presenceChanges == ["\(bob) online"])
        bobStream.close()
        let went = try #require(try aliceStream.nextPresence())
        #expect(went.payload["room"] as? String == second)
        #expect(went.presenceChanges == ["\(bob) offline"])
    }
}

/// The count `LobbyFanout` keeps: only a user's first stream and last one are transitions.
@Suite struct LobbyPresenceTests {
    @Test func onlyTheFirstOpeningAndTheLastClosingAreTransitions() {
        var presence = LobbyPresence()
        let opened = [presence.open("a"), presence.open("a"), presence.open("b")]
        #expect(opened == [true, false, true])
        #expect(presence.users == 2 && presence.streams(of: "a") == 2)
        let closed = [presence.close("a"), presence.close("a"), presence.close("a")]
        #expect(closed == [false, true, false])
        #expect(presence.users == 1 && presence.streams(of: "a") == 0)
    }
}
