import APIRuntime
import ChatAPI
import Dispatch
import HTTPServer
import Synchronization

/// One lobby as this instance's streams see it, with the PostgreSQL store: every event, in seq
/// order and once, read from the events table (the truth) whenever something says there may be
/// more (a `NOTIFY`, a commit of this instance's, a reconnect), and handed to the lobby's
/// `LobbyFanout`. A thin driver: `LobbyFollowerMachine` decides, this runs its reads against a
/// `LobbySource` and its retries against a `FollowerClock`.
///
/// The machine and the fan-out share one lock, and every action that touches the fan-out runs
/// under it, in the order the machine gave: a stream's admission and the events around it (a
/// leave, say) are decided in one serialized place. Reads run outside it, one at a time.
/// A follower exists while the lobby has local streams; the store retires it, under the lock of
/// its map of followers, when the last one closes.
final class LobbyFollower: Sendable {
    let room: String
    /// The lobby's delivery (for the backlog a post checks, without the lock).
    let delivery: LobbyDelivery
    private let source: any LobbySource
    private let clock: any FollowerClock
    private let executor: QueueExecutor?
    private let state: Mutex<State>

    private struct State {
        var machine: LobbyFollowerMachine
        /// Which lobby of this code it follows (the lobby row's `position`, from the snapshot):
        /// reads name it, so a lobby deleted and made again is never taken for the other.
        var lobbyId = 0
        /// The lobby was deleted before the snapshot: its `closed` event, which the streams
        /// that were checked before get before they end.
        var closing: LiveEvent?
        let fanout: LobbyFanout
        var streams: [LobbyFollowerMachine.StreamID: Subscriber] = [:]
        var nextStream = 0
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
        var typing = TypingWindow()
        /// Ephemeral events (typing, presence) for the streams that have arrived but wait for
        /// their admission (a read of the table): given to each right after it, so a stream
        /// whose response has begun misses none while the read runs (they go before its
        /// replay). At most `maxHeldEphemerals` each, the latest.
        var held: [LobbyFollowerMachine.StreamID: [EncodedEvent<Components.Schemas.ChatEvent>]] = [:]

        /// Delivers `frame` to the live streams `isRecipient` picks, and holds it for the
        /// waiting ones it picks.
        mutating func deliverEphemeral(_ frame: EncodedEvent<Components.Schemas.ChatEvent>, to isRecipient: (Subscriber) -> Bool) {
            fanout.deliverEphemeral(frame, to: isRecipient)
            for id in held.keys {
                guard let subscriber = streams[id], isRecipient(subscriber) else { continue }
                held[id]?.append(frame)
                if held[id]!.count > LobbyFollower.maxHeldEphemerals { held[id]?.removeFirst() }
            }
        }
    }

    /// How many ephemeral events a waiting stream is given at its admission, at most.
    static let maxHeldEphemerals = 32

    init(
        room: String, source: any LobbySource, limits: ChatLimits, deliveryTarget: DispatchQueue,
        clock: any FollowerClock, executor: QueueExecutor? = nil, presence: (any PresenceObserver)? = nil
    ) {
        self.room = room
        self.source = source
        self.clock = clock
        self.executor = executor
        let fanout = LobbyFanout(room: room, limits: limits, deliveryTarget: deliveryTarget, presence: presence)
        delivery = fanout.delivery
        let machine = LobbyFollowerMachine(historySize: limits.historySize, maxReplayBytes: limits.maxReplayBytes)
        state = Mutex(State(machine: machine, fanout: fanout))
    }

    // MARK: From the store

    /// A new stream, admitted (replayed, then live) in order with the events; nil if the
    /// follower has retired or its lobby is gone (the store then makes a new one: the code may
    /// name a new lobby by now). Called under the store's lock of followers, which `close`
    /// also takes: a follower in that map has not retired.
    func arrive(_ subscriber: Subscriber, lastEventId: Int?) -> LobbyFollowerMachine.StreamID? {
        var id: LobbyFollowerMachine.StreamID?
        handle { state in
            guard !state.machine.isRetired, !state.machine.isGone else { return nil }
            let stream = LobbyFollowerMachine.StreamID(value: state.nextStream)
            state.nextStream += 1
            state.streams[stream] = subscriber
            state.held[stream] = []
            id = stream
            return .streamArrived(stream, lastEventId: lastEventId)
        }
        return id
    }

    /// A stream closed; true when it was the last and the follower retired (under the store's
    /// lock of followers, which then forgets it).
    func close(_ id: LobbyFollowerMachine.StreamID) -> Bool {
        handle { state in
            if let subscriber = state.streams.removeValue(forKey: id) { state.fanout.remove(subscriber) }
            state.held[id] = nil
            return .streamClosed(id)
        }
        return isRetired
    }

    /// The table has events up to `seq` (a notification); nil: some may have been missed (a
    /// reconnect).
    func notify(upTo seq: Int?) {
        handle { _ in .notified(upTo: seq) }
    }

    /// This instance committed `event`: published at once when it is the next one and nothing
    /// is being read, else read from the table in turn.
    func committed(_ event: StoredEvent) {
        let live = event.liveEvent
        handle { _ in .committed(live) }
    }

    /// Sends `userId`'s typing event, stamped `millis` by the database, to the lobby's streams
    /// now, but the typer's, unless the window has shown one of theirs too recently: under the
    /// lock, so in order with what is published; the machine is not involved, since nothing is
    /// read from the table.
    func deliverTyping(_ frame: EncodedEvent<Components.Schemas.ChatEvent>, userId: String, at millis: Int64) {
        state.withLock { state in
            guard state.typing.admits(userId, at: millis) else { return }
            state.deliverEphemeral(frame) { $0.userId != userId }
        }
    }

    /// Sends an ephemeral event (`presence`) to the streams `isRecipient` picks, likewise.
    func deliverEphemeral(_ frame: EncodedEvent<Components.Schemas.ChatEvent>, to isRecipient: @Sendable (Subscriber) -> Bool) {
        state.withLock { $0.deliverEphemeral(frame, to: isRecipient) }
    }

    var isRetired: Bool { state.withLock { $0.machine.isRetired } }

    /// How many streams are live.
    var subscriberCount: Int { state.withLock { $0.fanout.subscriberCount } }

    /// Woken for events it has not started to read (the database is down, or it is about to).
    var isBehind: Bool { state.withLock { $0.machine.isBehind } }

    /// Returns once nothing is being read (or a retry waits) and everything read was written
    /// to the streams.
    func settle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let settled = state.withLock { state -> Bool in
                guard !state.machine.isSettled else { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if settled { continuation.resume() }
        }
        await delivery.deliverQueued()
    }

    // MARK: The driver

    /// Makes an event under the lock (nil: none), feeds it to the machine, and does what it
    /// says: the fan-out's part under the lock, reads and timers after.
    private func handle(_ makeEvent: (inout State) -> LobbyFollowerMachine.Event?) {
        let now = clock.now
        let (effects, waiters) = state.withLock { state -> ([LobbyFollowerMachine.Action], [CheckedContinuation<Void, Never>]) in
            guard let event = makeEvent(&state) else { return ([], []) }
            var effects: [LobbyFollowerMachine.Action] = []
            for action in state.machine.receive(event, now: now) {
                switch action {
                case .start(let snapshot):
                    state.lobbyId = snapshot.lobbyId
                    state.fanout.reset(lastSeq: snapshot.lastSeq, members: snapshot.members)
                case .publish(let events):
                    for event in events { state.fanout.publish(event) }
                    if let last = events.last, last.effect == .closes { state.closing = last }
                case .admit(let id, let lastEventId, let older):
                    let held = state.held.removeValue(forKey: id) ?? []
                    if let subscriber = state.streams[id] {
                        // Before the replay: they came while it was read, so after the
                        // events it would have had live (and a post they precede is often in it);
                        // none for a user who left meanwhile, whose stream gets up to the leave.
                        if state.fanout.members.contains(subscriber.userId) { state.fanout.delivery.replay(held, to: subscriber) }
                        state.fanout.admit(subscriber, after: lastEventId, older: older)
                    }
                case .end(let ids):
                    for id in ids { state.held[id] = nil }
                    let last = state.closing.map { [$0.frame] } ?? []
                    for subscriber in ids.compactMap({ state.streams[$0] }) { state.fanout.end(subscriber, after: last) }
                case .retire:
                    break
                case .readSnapshot, .readEvents, .scheduleRetry:
                    effects.append(action)
                }
            }
            guard state.machine.isSettled, !state.idleWaiters.isEmpty else { return (effects, []) }
            defer { state.idleWaiters = [] }
            return (effects, state.idleWaiters)
        }
        for waiter in waiters { waiter.resume() }
        for effect in effects { perform(effect) }
    }

    /// Runs a read or arms the timer; its outcome comes back as an event.
    private func perform(_ action: LobbyFollowerMachine.Action) {
        switch action {
        case .readSnapshot:
            Task(executorPreference: executor) { [self] in
                do throws(ChatError) {
                    let snapshot = try await source.snapshot(room)
                    let closing = snapshot == nil ? try await source.closing(room)?.liveEvent : nil
                    handle { state in
                        state.closing = closing
                        return .snapshotRead(snapshot.map { LobbyFollowerMachine.Snapshot(lastSeq: $0.lastSeq, members: $0.members, lobbyId: $0.lobbyId) })
                    }
                } catch {
                    handle { _ in .readFailed }
                }
            }
        case .readEvents(let seq, let limit):
            Task(executorPreference: executor) { [self] in
                do throws(ChatError) {
                    let lobbyId = state.withLock { $0.lobbyId }
                    let events = try await source.events(room, of: lobbyId, after: seq, limit: limit).map(\.liveEvent)
                    handle { _ in .eventsRead(events) }
                } catch {
                    handle { _ in .readFailed }
                }
            }
        case .scheduleRetry(let instant):
            clock.schedule(at: instant) { [weak self] in self?.handle { _ in .retryTimerFired } }
        case .start, .publish, .admit, .end, .retire:
            break
        }
    }
}

extension StoredEvent {
    /// The row as the fan-out takes it (encoded once).
    var liveEvent: LiveEvent {
        LiveEvent(event, seq: seq, room: room)
    }
}
