import Dispatch
import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// `GET /events/{room}` end to end: framing, order, fan-out, resume, resync, leave, disconnects.
@Suite struct EventStreamTests {
    @Test(arguments: StoreKind.all) func streamOpensWithItsHeadersRetryAndAComment(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let stream = try server.openStream(room, userId: alice)
        #expect(stream.head.status == 200)
        #expect(stream.head.header("Content-Type") == "text/event-stream")
        #expect(stream.head.header("Cache-Control") == "no-store")
        #expect(stream.head.header("X-Accel-Buffering") == "no")
        #expect(stream.head.header("Content-Length") == nil)
        #expect(try stream.connection.readLine() == "retry: 3000")
        _ = try server.post(room, alice, "first")
        let event = try #require(try stream.next())
        #expect(stream.comments.count == 1)
        #expect(event.type == "message")
        #expect(event.id == "2")
    }

    @Test(arguments: StoreKind.all) func eventsArriveInOrderWithIdsRisingByOne(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let stream = try server.openStream(room, userId: alice)
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        _ = try server.post(room, bob, "hello")
        _ = try server.leave(room, bob)
        let events = try stream.next(3)
        #expect(events.map(\.type) == ["join", "message", "leave"])
        #expect(events.map(\.id) == ["2", "3", "4"])
        #expect(events[0].payload["name"] as? String == "bob")
        #expect(events[0].payload["room"] as? String == room)
        #expect(events[1].payload["content"] as? String == "hello")
        #expect(events[1].payload["seq"] as? Int == 3)
        #expect(events[2].payload["id"] as? String == bob)
    }

    @Test(arguments: StoreKind.all) func everyStreamOfEveryMemberGetsEachEvent(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let streams = try [server.openStream(room, userId: alice), server.openStream(room, userId: alice), server.openStream(room, userId: bob)]
        _ = try server.post(room, bob, "to everyone")
        for stream in streams {
            let event = try #require(try stream.next())
            #expect(event.payload["content"] as? String == "to everyone")
            #expect(event.id == "3")
        }
    }

    @Test(arguments: StoreKind.all) func identityFromHeaderAndItsErrors(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let outsider = try server.makeUser("mallory")
        let ghost = UUID().uuidString.lowercased()
        func status(_ target: String, _ headers: [String: String] = [:], as user: String? = nil) throws -> Int {
            let connection = try TestConnection(port: server.port)
            var head = "GET \(target) HTTP/1.1\r\nHost: x\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            if let bearer = TestTokens.bearer(of: user ?? alice) { head += "Authorization: \(bearer)\r\n" }
            try connection.send(head + "\r\n")
            return try connection.readResponse(bodyExpected: false).status
        }
        #expect(try status("/events/\(room)", ["X-User-Id": alice]) == 200)
        #expect(try status("/events/\(room)") == 400)
        #expect(try status("/events/\(room)?userId=\(alice)", ["X-User-Id": outsider]) == 400)
        #expect(try status("/events/\(room)?userId=\(outsider)", as: outsider) == 403)
        #expect(try status("/events/\(room)?userId=\(ghost)") == 403)  // alice's token, another id
        #expect(try status("/events/nope?userId=\(alice)") == 404)
        #expect(try status("/events/\(room)?userId=\(alice)&lastEventId=abc") == 400)
    }

    @Test(arguments: StoreKind.all) func resumeReplaysWhatWasMissedWithNoGapOrDuplicateWhileOthersPost(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let total = 300
        let poster = DispatchQueue(label: "poster")
        let done = DispatchSemaphore(value: 0)
        poster.async {
            for index in 0..<total { _ = try? server.post(room, alice, "m\(index)") }
            done.signal()
        }
        var received: [Int] = []
        var lastId: Int?
        // Reconnect every few events, resuming from the last id seen.
        while received.count < total {
            let stream = try server.openStream(room, userId: alice, lastEventId: lastId ?? 1)
            for _ in 0..<min(25, total - received.count) {
                guard let event = try stream.next(), let id = event.id.flatMap(Int.init) else { break }
                #expect(event.type == "message")
                received.append(id)
                lastId = id
            }
            stream.close()
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(received == Array(2..<(2 + total)))
    }

    /// The memory store's history is its ring; the PostgreSQL store replays from the table
    /// (`PostgresStoreTests`).
    @Test func resyncWhenTheIdIsOlderThanTheHistoryOrFromTheFuture() throws {
        let server = try TestServer { $0.chat.historySize = 3 }
        let (room, alice) = try server.makeMember()
        for index in 0..<6 { _ = try server.post(room, alice, "m\(index)") }  // seqs 2...7; 5...7 retained
        let behind = try server.openStream(room, userId: alice, lastEventId: 3)
        let resync = try #require(try behind.next())
        #expect(resync.type == "resync")
        #expect(resync.id == "7")
        #expect(resync.payload["lastEventId"] as? Int == 7)
        #expect(resync.payload["room"] as? String == room)
        _ = try server.post(room, alice, "live")
        #expect(try behind.next()?.id == "8")

        // 6...8 are retained now: resuming after 5 needs nothing that is gone.
        let justInside = try server.openStream(room, userId: alice, lastEventId: 5)
        #expect(try justInside.next(3).map(\.id) == ["6", "7", "8"])
        let justOutside = try server.openStream(room, userId: alice, lastEventId: 4)
        #expect(try justOutside.next()?.type == "resync")

        let ahead = try server.openStream(room, userId: alice, lastEventId: 99)
        let future = try #require(try ahead.next())
        #expect(future.type == "resync")
        #expect(future.payload["lastEventId"] as? Int == 8)
    }

    @Test(arguments: StoreKind.all) func aReplayLargerThanHalfTheOutputLimitIsAResync(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.http.limits.maxStreamOutputBytes = 64 * 1024 }  // replays up to 32 KiB
        let (room, alice) = try server.makeMember()
        let large = String(repeating: "x", count: 4000)
        for _ in 0..<10 { _ = try server.post(room, alice, large) }  // seqs 2...11, ~42 KB
        let far = try server.openStream(room, userId: alice, lastEventId: 1)
        let resync = try #require(try far.next())
        #expect(resync.type == "resync")
        #expect(resync.id == "11")
        let near = try server.openStream(room, userId: alice, lastEventId: 8)
        #expect(try near.next(3).map(\.id) == ["9", "10", "11"])
    }

    @Test(arguments: StoreKind.all) func leavingEndsThatUsersStreamsAfterTheLeaveEvent(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let alicesStream = try server.openStream(room, userId: alice)
        let bobsStream = try server.openStream(room, userId: bob)
        _ = try server.leave(room, alice)
        #expect(try alicesStream.next()?.type == "leave")
        #expect(try alicesStream.next() == nil)
        #expect(try bobsStream.next()?.type == "leave")
        _ = try server.post(room, bob, "still here")
        #expect(try bobsStream.next()?.payload["content"] as? String == "still here")
        #expect(server.store.subscriberCount(room) == 1)
        let reconnect = try server.openStream(room, userId: alice)
        #expect(reconnect.head.status == 403)
    }

    @Test(arguments: StoreKind.all) func aDroppedClientIsForgottenAtOnce(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let stream = try server.openStream(room, userId: alice)
        #expect(try waitUntil { server.store.subscriberCount(room) == 1 })
        stream.close()
        #expect(try waitUntil { server.store.subscriberCount(room) == 0 })
        #expect(try waitUntil { server.application.server.connectionCount == 0 })
        let lobby = try server.request("GET", "/chat/\(room)")
        #expect((try lobby.object()["members"] as? [Any])?.count == 1)  // membership is unchanged
    }

    @Test(arguments: StoreKind.all) func aStalledReaderIsCutOffWhileOthersReceiveEverything(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.http.limits.maxStreamOutputBytes = 64 * 1024 }
        let (room, alice) = try server.makeMember()
        let stalled = try server.openStream(room, userId: alice, receiveBuffer: 4096)
        let reader = try server.openStream(room, userId: alice)
        #expect(try waitUntil { server.store.subscriberCount(room) == 2 })
        let count = 2000
        let content = String(repeating: "x", count: 4000)
        // The healthy reader keeps up: posting stays within 8 events (~32 KB, under the 64 KiB
        // limit) of what it has read, however busy the machine. The stalled one never reads.
        let received = Atomic<Int>(0)
        let posting = DispatchQueue(label: "posting")
        posting.async {
            for index in 0..<count {
                let deadline = ContinuousClock.now + .seconds(10)
                while index - received.load(ordering: .relaxed) > 8, ContinuousClock.now < deadline {
                    Thread.sleep(forTimeInterval: 0.0005)
                }
                _ = try? server.post(room, alice, content)
            }
        }
        var ids: [String] = []
        for _ in 0..<count {
            guard let event = try reader.next() else { break }
            ids.append(event.id ?? "")
            received.add(1, ordering: .relaxed)
        }
        #expect(ids == (2..<(2 + count)).map(String.init))
        #expect(try waitUntil { server.store.subscriberCount(room) == 1 })
        _ = stalled
    }

    @Test(arguments: StoreKind.all) func heartbeatCommentsFlowWhileNothingElseIsSent(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.heartbeat = .milliseconds(100) }
        let (room, alice) = try server.makeMember()
        let stream = try server.openStream(room, userId: alice)
        let started = ContinuousClock.now
        var pings = 0
        for _ in 0..<20 where pings < 3 {
            if try stream.connection.readLine() == ": ping" { pings += 1 }
        }
        #expect(pings == 3)
        #expect(ContinuousClock.now - started >= .milliseconds(250))
    }

    @Test(arguments: StoreKind.all) func shutdownEndsOpenStreams(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let stream = try server.openStream(room, userId: alice)
        #expect(try waitUntil { server.store.subscriberCount(room) == 1 })
        server.application.shutdown()
        #expect(try stream.next() == nil)
    }
}

/// Polls `condition` every 10 ms for up to `timeout`.
func waitUntil(timeout: Duration = .seconds(5), _ condition: () -> Bool) throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}
