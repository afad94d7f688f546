import ChatAPI
import Dispatch
import Testing
@testable import APIRuntime
@testable import ChatServer

/// The PostgreSQL follower's driver against a fake events table and a fake clock: failures,
/// retries, reconnects, and the race of a stream's admission with its user's leave.
@Suite struct LobbyFollowerTests {
    static func make(_ source: FakeLobbySource, clock: FakeFollowerClock, historySize: Int = 1000) -> LobbyFollower {
        var limits = ChatLimits()
        limits.historySize = historySize
        return LobbyFollower(room: source.room, source: source, limits: limits, deliveryTarget: DispatchQueue(label: "follower.test"), clock: clock)
    }

    static func subscriber(_ userId: String) -> (RecordingStream, Subscriber) {
        LobbyFanoutTests.stream(userId)
    }

    @Test func aStreamWhoseUserLeavesWhileItWaitsForAdmissionGetsTheLeaveThenEnds() async throws {
        // The defect of issue 21: posts flow, the database goes away; alice's stream (checked at
        // the latest seq) waits for admission while her leave commits through another instance.
        let source = FakeLobbySource(members: [])
        source.commit(.join, by: "alice")
        source.commit(.join, by: "bob")
        let clock = FakeFollowerClock()
        let follower = Self.make(source, clock: clock)
        let (bob, bobSubscriber) = Self.subscriber("bob")
        _ = try #require(follower.arrive(bobSubscriber, lastEventId: nil))
        await follower.settle()
        for _ in 0..<3 { source.commit(.message, by: "bob") }
        source.setFailing(true)
        follower.notify(upTo: source.lastSeq)
        await follower.settle()
        #expect(clock.pending == [.milliseconds(50)])
        let checkedAt = source.lastSeq
        let (alice, aliceSubscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(aliceSubscriber, lastEventId: checkedAt))
        source.commit(.leave, by: "alice")
        follower.notify(upTo: source.lastSeq)
        clock.advance(by: .milliseconds(50))
        await follower.settle()
        #expect(clock.pending == [.milliseconds(100)], "still down: the delay doubles")
        source.setFailing(false)
        clock.advance(by: .milliseconds(100))
        await follower.settle()
        #expect(LobbyFanoutTests.ids(bob) == [3, 4, 5, 6])
        #expect(LobbyFanoutTests.ids(alice) == [6], "her leave, then the end")
        #expect(alice.isClosed)
        #expect(follower.subscriberCount == 1)
        // Later events do not reach her.
        follower.committed(source.commit(.message, by: "bob"))
        await follower.settle()
        #expect(LobbyFanoutTests.ids(alice) == [6])
        #expect(LobbyFanoutTests.ids(bob) == [3, 4, 5, 6, 7])
    }

    @Test func typingWhileAStreamWaitsForItsAdmissionReachesItAfterIt() async throws {
        // The flake of CI stop 28: a stream's response has begun, its admission reads the
        // table; a typing notice in that time was given to the admitted streams only.
        let source = FakeLobbySource()
        source.commit(.join, by: "alice")
        source.commit(.join, by: "carol")
        let clock = FakeFollowerClock()
        let follower = Self.make(source, clock: clock)
        source.hold()
        let (carol, carolSubscriber) = Self.subscriber("carol")
        _ = try #require(follower.arrive(carolSubscriber, lastEventId: 2))
        let (alice, aliceSubscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(aliceSubscriber, lastEventId: 2))
        let typing = try #require(EncodedEvent.typing(room: source.room, userId: "alice", name: "alice"))
        follower.deliverTyping(typing, userId: "alice", at: 1_000)
        // Carol posts after alice typed; the post commits while the read waits.
        follower.committed(source.commit(.message, by: "carol"))
        #expect(carol.writes.isEmpty)
        source.release()
        await follower.settle()
        let carolFrames = carol.writes.joined()
        let typed = try #require(carolFrames.range(of: "\"type\":\"typing\""), "\(carolFrames)")
        let posted = try #require(carolFrames.range(of: "id: 3"))
        #expect(typed.lowerBound < posted.lowerBound, "in the order they happened")
        #expect(LobbyFanoutTests.ids(carol) == [3])
        #expect(!alice.writes.joined().contains("\"type\":\"typing\""), "the typer's own stream does not get it")
        #expect(LobbyFanoutTests.ids(alice) == [3])
    }

    @Test func aStreamAdmittedBeforeTheLeaveIsReadGetsItLive() async throws {
        let source = FakeLobbySource()
        source.commit(.join, by: "alice")
        let clock = FakeFollowerClock()
        let follower = Self.make(source, clock: clock)
        let (alice, subscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(subscriber, lastEventId: 1))
        await follower.settle()
        source.commit(.leave, by: "alice")
        follower.notify(upTo: 2)
        await follower.settle()
        #expect(LobbyFanoutTests.ids(alice) == [2])
        #expect(alice.isClosed)
    }

    @Test func aResumeBeforeTheFollowerStartedIsReadFromTheTable() async throws {
        let source = FakeLobbySource()
        source.commit(.join, by: "alice")
        for _ in 0..<1200 { source.commit(.message, by: "alice") }
        let clock = FakeFollowerClock()
        let follower = Self.make(source, clock: clock, historySize: 1000)
        let (first, firstSubscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(firstSubscriber, lastEventId: nil))
        await follower.settle()
        let (resumed, resumedSubscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(resumedSubscriber, lastEventId: 600))
        await follower.settle()
        #expect(LobbyFanoutTests.ids(resumed) == Array(601...1201), "in pages of 500, from the table")
        #expect(source.reads.suffix(2) == ["after 600", "after 1100"])
        let (tooOld, tooOldSubscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(tooOldSubscriber, lastEventId: 100))
        await follower.settle()
        #expect(tooOld.writes.joined().contains("\"type\":\"resync\""))
        #expect(LobbyFanoutTests.ids(first).isEmpty)
    }

    @Test func theLastStreamClosingWhileAnotherIsAdmittedRetiresTheFollowerAndItTakesNoMore() async throws {
        let source = FakeLobbySource()
        source.commit(.join, by: "alice")
        let clock = FakeFollowerClock()
        let follower = Self.make(source, clock: clock)
        source.hold()
        let (_, subscriber) = Self.subscriber("alice")
        let id = try #require(follower.arrive(subscriber, lastEventId: nil))
        #expect(follower.close(id), "the last stream: retired, though its snapshot is still being read")
        source.release()
        await follower.settle()
        // The store forgets a retired follower under the same lock; one asked anyway refuses.
        let (late, lateSubscriber) = Self.subscriber("alice")
        #expect(follower.arrive(lateSubscriber, lastEventId: nil) == nil)
        #expect(!late.isClosed && late.writes.isEmpty)
    }

    @Test func streamsOfALobbyThatIsGoneEnd() async throws {
        let source = FakeLobbySource()
        source.setExists(false)
        let follower = Self.make(source, clock: FakeFollowerClock())
        let (stream, subscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(subscriber, lastEventId: nil))
        await follower.settle()
        #expect(stream.isClosed)
    }

    @Test func aReconnectCatchesUpAtOnceAndReadinessFollows() async throws {
        let source = FakeLobbySource()
        source.commit(.join, by: "alice")
        let clock = FakeFollowerClock()
        let follower = Self.make(source, clock: clock)
        let (alice, subscriber) = Self.subscriber("alice")
        _ = try #require(follower.arrive(subscriber, lastEventId: 1))
        await follower.settle()
        source.setFailing(true)
        source.commit(.message, by: "alice")
        follower.notify(upTo: 2)
        await follower.settle()
        #expect(follower.isBehind, "woken for an event it could not read")
        #expect(clock.pending == [.milliseconds(50)])
        source.setFailing(false)
        follower.notify(upTo: nil)  // the listener is back: no waiting out the delay
        await follower.settle()
        #expect(!follower.isBehind)
        #expect(LobbyFanoutTests.ids(alice) == [2])
        // The stale timer firing later reads nothing twice.
        clock.advance(by: .milliseconds(50))
        await follower.settle()
        #expect(LobbyFanoutTests.ids(alice) == [2])
    }
}
