import ChatAPI
import Testing
@testable import ChatServer

/// The PostgreSQL follower's decisions, without a database, a thread or a real clock.
@Suite struct LobbyFollowerMachineTests {
    typealias Machine = LobbyFollowerMachine
    static let start = ContinuousClock.now

    static func event(_ seq: Int, _ effect: LiveEvent.Effect = .none) -> LiveEvent {
        LiveEvent(Components.Schemas.ChatEvent.resync(Components.Schemas.Resync(room: "r", lastEventId: seq)), seq: seq, room: "r")
            .with(effect)
    }

    static func events(_ seqs: ClosedRange<Int>) -> [LiveEvent] { seqs.map { event($0) } }

    static func stream(_ value: Int) -> Machine.StreamID { Machine.StreamID(value: value) }

    /// A machine that has read its snapshot at `lastSeq`, with stream 0 live.
    static func started(lastSeq: Int = 10, historySize: Int = 1000) -> Machine {
        var machine = Machine(historySize: historySize, maxReplayBytes: 512 * 1024)
        _ = machine.receive(.streamArrived(stream(0), lastEventId: nil), now: start)
        _ = machine.receive(.snapshotRead(Machine.Snapshot(lastSeq: lastSeq, members: ["a"])), now: start)
        return machine
    }

    @Test func aFirstStreamReadsTheSnapshotThenIsAdmitted() {
        var machine = Machine(historySize: 1000, maxReplayBytes: 1 << 20)
        #expect(machine.receive(.streamArrived(Self.stream(0), lastEventId: 4), now: Self.start).describe == ["readSnapshot"])
        let actions = machine.receive(.snapshotRead(Machine.Snapshot(lastSeq: 4, members: ["a"])), now: Self.start)
        #expect(actions.describe == ["start 4", "admit 0 after 4 older 0"])
        #expect(machine.isSettled)
    }

    @Test func failedReadsRetryWithBackoffThatResetsOnSuccess() {
        var machine = Machine(historySize: 1000, maxReplayBytes: 1 << 20)
        var now = Self.start
        _ = machine.receive(.streamArrived(Self.stream(0), lastEventId: nil), now: now)
        var delays: [Duration] = []
        for _ in 0..<8 {
            let actions = machine.receive(.readFailed, now: now)
            guard case .scheduleRetry(let at)? = actions.first else { Issue.record("no retry: \(actions.describe)"); return }
            delays.append(at - now)
            #expect(machine.receive(.retryTimerFired, now: now).isEmpty, "not before its time")
            now = at
            #expect(machine.receive(.retryTimerFired, now: now).describe == ["readSnapshot"])
        }
        #expect(delays == [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800),
                           .milliseconds(1600), .seconds(2), .seconds(2)])
        _ = machine.receive(.snapshotRead(Machine.Snapshot(lastSeq: 0, members: [])), now: now)
        _ = machine.receive(.notified(upTo: 1), now: now)
        guard case .scheduleRetry(let at)? = machine.receive(.readFailed, now: now).first else { Issue.record("no retry"); return }
        #expect(at - now == .milliseconds(50), "a success starts the backoff over")
    }

    @Test func aReconnectReadsAtOnceInsteadOfWaitingOutTheDelay() {
        var machine = Self.started()
        _ = machine.receive(.notified(upTo: 11), now: Self.start)
        _ = machine.receive(.readFailed, now: Self.start)
        #expect(machine.isBehind)
        #expect(machine.receive(.notified(upTo: nil), now: Self.start).describe == ["readEvents after 10"])
    }

    @Test func catchingUpReadsPagesOf500BeforeAdmittingAStream() {
        var machine = Self.started(lastSeq: 0)
        #expect(machine.receive(.notified(upTo: 1200), now: Self.start).describe == ["readEvents after 0"])
        // A stream arrives during the catch-up: it waits until everything is read.
        #expect(machine.receive(.streamArrived(Self.stream(1), lastEventId: nil), now: Self.start).isEmpty)
        #expect(machine.receive(.eventsRead(Self.events(1...500)), now: Self.start).describe == ["publish 1...500", "readEvents after 500"])
        #expect(machine.receive(.eventsRead(Self.events(501...1000)), now: Self.start).describe == ["publish 501...1000", "readEvents after 1000"])
        #expect(machine.receive(.eventsRead(Self.events(1001...1200)), now: Self.start).describe == ["publish 1001...1200", "admit 1 after nil older 0"])
        #expect(machine.cursor == 1200)
    }

    @Test func aCommitIsPublishedAtOnceOnlyWhenItIsNextAndNothingIsRead() {
        var machine = Self.started()
        #expect(machine.receive(.committed(Self.event(11)), now: Self.start).describe == ["publish 11...11"])
        #expect(machine.receive(.committed(Self.event(13)), now: Self.start).describe == ["readEvents after 11"], "a gap: read")
        #expect(machine.receive(.committed(Self.event(12)), now: Self.start).isEmpty, "a read is under way: it will bring it")
        // A commit seen while reading may be past what the read saw: one more read.
        #expect(machine.receive(.eventsRead(Self.events(12...13)), now: Self.start).describe == ["publish 12...13", "readEvents after 13"])
        #expect(machine.receive(.eventsRead([]), now: Self.start).isEmpty)
        #expect(machine.receive(.committed(Self.event(13)), now: Self.start).isEmpty, "already published")
    }

    @Test func aResumeIdPastTheCursorReadsFirstThenIsAdmitted() {
        var machine = Self.started()
        #expect(machine.receive(.streamArrived(Self.stream(1), lastEventId: 12), now: Self.start).describe == ["readEvents after 10"])
        #expect(machine.receive(.eventsRead(Self.events(11...12)), now: Self.start).describe == ["publish 11...12", "admit 1 after 12 older 0"])
        // An id the table does not have either: one read, then admitted (the fan-out sends `resync`).
        #expect(machine.receive(.streamArrived(Self.stream(2), lastEventId: 99), now: Self.start).describe == ["readEvents after 12"])
        #expect(machine.receive(.eventsRead([]), now: Self.start).describe == ["admit 2 after 99 older 0"])
    }

    @Test func aResumeBeforeTheRingReadsTheTableWithinTheWindow() {
        var machine = Self.started(lastSeq: 1000, historySize: 1000)
        #expect(machine.receive(.streamArrived(Self.stream(1), lastEventId: 100), now: Self.start).describe == ["readEvents after 100"])
        #expect(machine.receive(.eventsRead(Self.events(101...600)), now: Self.start).describe == ["readEvents after 600"])
        #expect(machine.receive(.eventsRead(Self.events(601...1000)), now: Self.start).describe == ["admit 1 after 100 older 900"])
        // Outside the window: no read, the fan-out sends `resync`.
        var far = Self.started(lastSeq: 5000, historySize: 1000)
        #expect(far.receive(.streamArrived(Self.stream(1), lastEventId: 100), now: Self.start).describe == ["admit 1 after 100 older 0"])
    }

    @Test func aStreamClosedWhileItsOlderEventsAreReadIsNotAdmitted() {
        var machine = Self.started(lastSeq: 1000)
        _ = machine.receive(.streamArrived(Self.stream(1), lastEventId: 100), now: Self.start)
        _ = machine.receive(.streamArrived(Self.stream(2), lastEventId: nil), now: Self.start)
        #expect(machine.receive(.streamClosed(Self.stream(1)), now: Self.start).isEmpty)
        #expect(machine.receive(.eventsRead(Self.events(101...600)), now: Self.start).describe == ["admit 2 after nil older 0"])
    }

    @Test func theFollowerRetiresWithItsLastStreamEvenWhileReading() {
        var machine = Self.started()
        _ = machine.receive(.notified(upTo: 11), now: Self.start)
        #expect(machine.receive(.streamClosed(Self.stream(0)), now: Self.start).describe == ["retire"])
        #expect(machine.isRetired)
        #expect(machine.receive(.eventsRead(Self.events(11...11)), now: Self.start).isEmpty, "a retired follower does nothing")
        #expect(machine.receive(.streamArrived(Self.stream(1), lastEventId: nil), now: Self.start).isEmpty)
    }

    @Test func streamsOfAGoneLobbyEnd() {
        var machine = Machine(historySize: 1000, maxReplayBytes: 1 << 20)
        _ = machine.receive(.streamArrived(Self.stream(0), lastEventId: nil), now: Self.start)
        #expect(machine.receive(.snapshotRead(nil), now: Self.start).describe == ["end 0"])
        #expect(machine.receive(.streamArrived(Self.stream(1), lastEventId: nil), now: Self.start).describe == ["end 1"])
    }

    /// The lobby's other events went with it: its closing is taken past the gap, nothing after
    /// it, and the streams still waiting (and any that come) end.
    @Test func aClosingIsTakenPastAGapAndIsTheLast() {
        var machine = Self.started(lastSeq: 10)
        #expect(machine.receive(.notified(upTo: 14), now: Self.start).describe == ["readEvents after 10"])
        _ = machine.receive(.streamArrived(Self.stream(1), lastEventId: nil), now: Self.start)
        let read = [Self.event(11), Self.event(14, .closes), Self.event(15)]
        #expect(machine.receive(.eventsRead(read), now: Self.start).describe == ["publish 11...14", "end 1"])
        #expect(machine.isGone)
        #expect(machine.isSettled)
        #expect(machine.receive(.notified(upTo: 20), now: Self.start).isEmpty, "nothing is read after the closing")
        #expect(machine.receive(.streamArrived(Self.stream(2), lastEventId: nil), now: Self.start).describe == ["end 2"])
    }
}

extension LiveEvent {
    func with(_ effect: Effect) -> LiveEvent { LiveEvent(seq: seq, frame: frame, effect: effect) }
}

extension [LobbyFollowerMachine.Action] {
    /// The actions in short, for comparing.
    var describe: [String] {
        map { action in
            switch action {
            case .readSnapshot: "readSnapshot"
            case .readEvents(let seq, _): "readEvents after \(seq)"
            case .start(let snapshot): "start \(snapshot.lastSeq)"
            case .publish(let events): "publish \(events.first?.seq ?? 0)...\(events.last?.seq ?? 0)"
            case .admit(let id, let seq, let older): "admit \(id.value) after \(seq.map(String.init) ?? "nil") older \(older.count)"
            case .end(let ids): "end " + ids.map { String($0.value) }.joined(separator: ",")
            case .scheduleRetry: "scheduleRetry"
            case .retire: "retire"
            }
        }
    }
}
