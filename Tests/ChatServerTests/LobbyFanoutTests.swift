import ChatAPI
import Dispatch
import Testing
@testable import APIRuntime
@testable import ChatServer

/// The live fan-out both stores share: replay decisions, what events do to streams, and a
/// stream whose user left before it was admitted.
@Suite struct LobbyFanoutTests {
    static func change(_ userId: String) -> Components.Schemas.MemberChange {
        Components.Schemas.MemberChange(id: userId, name: userId, room: "r")
    }

    static func join(_ seq: Int, _ userId: String) -> LiveEvent { LiveEvent(.join(change(userId)), seq: seq, room: "r") }
    static func leave(_ seq: Int, _ userId: String) -> LiveEvent { LiveEvent(.leave(change(userId)), seq: seq, room: "r") }
    static func message(_ seq: Int) -> LiveEvent {
        LiveEvent(.message(Components.Schemas.Message(id: "m\(seq)", seq: seq, room: "r", userId: "a", name: "a", content: "hi", sentAt: "t")),
                  seq: seq, room: "r")
    }

    static func make(historySize: Int = 1000, maxReplayBytes: Int = 512 * 1024) -> LobbyFanout {
        var limits = ChatLimits()
        limits.historySize = historySize
        limits.maxReplayBytes = maxReplayBytes
        return LobbyFanout(room: "r", limits: limits, deliveryTarget: DispatchQueue(label: "fanout.test"))
    }

    static func stream(_ userId: String) -> (RecordingStream, Subscriber) {
        let stream = RecordingStream()
        return (stream, Subscriber(userId: userId, sink: EventSink(stream)))
    }

    /// The ids of the frames written to `stream`, in order.
    static func ids(_ stream: RecordingStream) -> [Int] {
        stream.writes.joined().split(separator: "\n").compactMap { $0.hasPrefix("id: ") ? Int($0.dropFirst(4)) : nil }
    }

    @Test func aLeaveEndsTheLeavingUsersStreamsAfterTheyGetIt() async {
        let fanout = Self.make()
        fanout.publish(Self.join(1, "a"))
        fanout.publish(Self.join(2, "b"))
        let (alice, aliceSubscriber) = Self.stream("a")
        let (bob, bobSubscriber) = Self.stream("b")
        #expect(fanout.admit(aliceSubscriber, after: 2))
        #expect(fanout.admit(bobSubscriber, after: 2))
        fanout.publish(Self.leave(3, "a"))
        fanout.publish(Self.message(4))
        await fanout.delivery.deliverQueued()
        #expect(Self.ids(alice) == [3] && alice.isClosed)
        #expect(Self.ids(bob) == [3, 4] && !bob.isClosed)
        #expect(fanout.subscriberCount == 1 && fanout.members == ["b"])
    }

    @Test func aStreamWhoseUserLeftBeforeItsAdmissionGetsUpToTheLeaveThenEnds() async {
        let fanout = Self.make()
        fanout.publish(Self.join(1, "a"))
        fanout.publish(Self.join(2, "b"))
        // The stream was checked at seq 2; alice left (3), then more happened, then it is admitted.
        fanout.publish(Self.leave(3, "a"))
        fanout.publish(Self.message(4))
        let (alice, subscriber) = Self.stream("a")
        #expect(!fanout.admit(subscriber, after: 2))
        await fanout.delivery.deliverQueued()
        #expect(Self.ids(alice) == [3], "the leave, and nothing after it")
        #expect(alice.isClosed)
        #expect(fanout.subscriberCount == 0)
    }

    @Test func aResumeGetsTheRingOrResync() async {
        let fanout = Self.make(historySize: 3)
        fanout.publish(Self.join(1, "a"))
        for seq in 2...6 { fanout.publish(Self.message(seq)) }
        guard case .events(let events) = fanout.replay(after: 3) else { Issue.record("not replayed"); return }
        #expect(events.map(\.seq) == [4, 5, 6])
        for lastEventId in [2, 7, -1] {
            guard case .resync = fanout.replay(after: lastEventId) else { Issue.record("\(lastEventId) replayed"); return }
        }
        guard case .events(let none) = fanout.replay(after: 6), none.isEmpty else { Issue.record("up to date"); return }
        // Older events read elsewhere fill the gap before the ring.
        let older = (3...3).map { Self.message($0) }
        guard case .events(let filled) = fanout.replay(after: 2, older: older) else { Issue.record("not filled"); return }
        #expect(filled.map(\.seq) == [3, 4, 5, 6])
        guard case .resync = fanout.replay(after: 1, older: older) else { Issue.record("a gap replayed"); return }
    }

    @Test func aReplayPastTheByteLimitIsAResync() {
        let fanout = Self.make(maxReplayBytes: 200)
        fanout.publish(Self.join(1, "a"))
        for seq in 2...6 { fanout.publish(Self.message(seq)) }
        guard case .resync = fanout.replay(after: 1) else { Issue.record("replayed past the limit"); return }
    }

    @Test func publishingToALobbyWithNoStreamQueuesNothing() async {
        let target = DispatchQueue(label: "held")
        target.suspend()
        let fanout = LobbyFanout(room: "r", limits: ChatLimits(), deliveryTarget: target)
        fanout.publish(Self.join(1, "a"))
        for seq in 2...100 { fanout.publish(Self.message(seq)) }
        #expect(fanout.delivery.backlog == 0, "no hop to the delivery queue without a stream")
        let (alice, subscriber) = Self.stream("a")
        fanout.admit(subscriber, after: nil)
        fanout.publish(Self.message(101))
        #expect(fanout.delivery.backlog == 1)
        target.resume()
        await fanout.delivery.deliverQueued()
        #expect(Self.ids(alice) == [101])
    }
}

/// The window between a stream's check and its admission, on both stores: a user who left in
/// it gets the events up to and including the leave, then the stream ends.
@Suite struct AdmissionAfterLeaveTests {
    @Test(arguments: StoreKind.all)
    func aStreamCheckedBeforeItsUserLeftGetsTheLeaveThenEnds(store kind: StoreKind) async throws {
        let server = try TestServer(store: kind)
        let store = server.store
        let room = try await store.createLobby(room: nil).room
        let alice = try await store.createUser(name: "alice")
        let bob = try await store.createUser(name: "bob")
        _ = try await store.join(room, userId: alice.id)
        _ = try await store.join(room, userId: bob.id)
        let checkedAt = try await store.checkSubscription(room, userId: alice.id)
        _ = try await store.leave(room, userId: alice.id)
        _ = try await store.post(room, userId: bob.id, content: "after she left")
        let stream = RecordingStream()
        store.subscribe(room, userId: alice.id, lastEventId: checkedAt, sink: EventSink(stream))
        for _ in 0..<200 where !stream.isClosed {
            await store.deliverPublishedEvents()
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(LobbyFanoutTests.ids(stream) == [checkedAt + 1], "her leave, nothing after it")
        #expect(stream.writes.joined().contains("\"type\":\"leave\""))
        #expect(stream.isClosed)
        #expect(store.subscriberCount(room) == 0)
    }

    /// The same across two PostgreSQL instances: checked on A, left through B, admitted on A
    /// (where a stream of bob's is live, so A's follower is already reading the lobby).
    @Test(.enabled(if: StoreKind.databaseURL != nil, StoreKind.skipReason))
    func aStreamCheckedOnOneInstanceWhoseUserLeftThroughAnotherGetsTheLeaveThenEnds() async throws {
        let (a, b, _) = try TestServer.postgresPair()
        let room = try await a.store.createLobby(room: nil).room
        let alice = try await a.store.createUser(name: "alice")
        let bob = try await a.store.createUser(name: "bob")
        _ = try await a.store.join(room, userId: alice.id)
        _ = try await a.store.join(room, userId: bob.id)
        let bobs = RecordingStream()
        a.store.subscribe(room, userId: bob.id, lastEventId: 2, sink: EventSink(bobs))
        let checkedAt = try await a.store.checkSubscription(room, userId: alice.id)
        _ = try await b.store.leave(room, userId: alice.id)
        _ = try await b.store.post(room, userId: bob.id, content: "after she left")
        let alices = RecordingStream()
        a.store.subscribe(room, userId: alice.id, lastEventId: checkedAt, sink: EventSink(alices))
        for _ in 0..<300 where !alices.isClosed || LobbyFanoutTests.ids(bobs).count < 2 {
            await a.store.deliverPublishedEvents()
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(LobbyFanoutTests.ids(alices) == [checkedAt + 1])
        #expect(alices.isClosed)
        #expect(LobbyFanoutTests.ids(bobs) == [checkedAt + 1, checkedAt + 2])
        #expect(!bobs.isClosed)
    }
}
