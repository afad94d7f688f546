import APIRuntime
import ChatAPI
import Dispatch
import HTTPServer
import Synchronization

/// Where a follower reads a lobby from: the events table and the lobby's current state.
protocol LobbySource: Sendable {
    /// The lobby's last seq and members, as of one moment; nil if there is no such lobby.
    func snapshot(_ room: String) async throws(ChatError) -> (lastSeq: Int, members: Set<String>)?
    /// Up to `limit` events with seq greater than `seq`, in seq order.
    func events(_ room: String, after seq: Int, limit: Int) async throws(ChatError) -> [StoredEvent]
}

/// One lobby as this instance's streams see it, with the PostgreSQL store: every event, in seq
/// order and once, read from the events table (the truth) whenever something says there may be
/// more: a `NOTIFY`, a commit of this instance's, a reconnect. Each event is encoded once and the
/// same bytes go to every local stream, through the lobby's `LobbyDelivery`.
///
/// One task at a time (the pump) reads and delivers, so deliveries, replays and admissions of
/// new streams happen in one order. A follower exists while the lobby has local streams.
final class LobbyFollower: Sendable {
    let room: String
    let delivery: LobbyDelivery
    private let source: any LobbySource
    private let limits: ChatLimits
    private let executor: QueueExecutor
    private let state: Mutex<State>

    /// Events read per query while catching up.
    static let pageSize = 500

    private struct State {
        var isStarted = false
        /// The seq of the last event handed to `delivery`.
        var cursor = 0
        var members: Set<String> = []
        var subscribers: [ObjectIdentifier: Subscriber] = [:]
        var subscribersVersion = 0
        /// `subscribers.values` as of a version, so an event does not copy the set again.
        var recipientsCache: (version: Int, subscribers: [Subscriber])?
        /// Streams waiting to be admitted, with the id they resume after.
        var arriving: [(subscriber: Subscriber, lastEventId: Int?)] = []
        /// The table may hold events past `cursor`.
        var mayHaveMore = true
        var isPumping = false
        var isRetired = false
        var history: EventHistory
        /// The stream the pump is admitting (replaying to), out of `arriving`, not yet live.
        var admitting: Subscriber?
        /// It closed meanwhile: it is not made live.
        var admittingClosed = false
        var idleWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// Called (outside the follower's lock) when the last stream closed while it was being
    /// admitted, so the store can forget the follower.
    private let onRetire: @Sendable (LobbyFollower) -> Void

    init(
        room: String, source: any LobbySource, limits: ChatLimits, executor: QueueExecutor, deliveryTarget: DispatchQueue,
        onRetire: @escaping @Sendable (LobbyFollower) -> Void
    ) {
        self.room = room
        self.onRetire = onRetire
        self.source = source
        self.limits = limits
        self.executor = executor
        delivery = LobbyDelivery(label: "chat.lobby.\(room)", target: deliveryTarget, maxBatchBytes: limits.maxBatchBytes)
        state = Mutex(State(history: EventHistory(capacity: limits.historySize)))
    }

    // MARK: From anywhere

    /// A new stream; it is admitted (replayed, then live) in order with the deliveries.
    func admit(_ subscriber: Subscriber, lastEventId: Int?) {
        state.withLock { $0.arriving.append((subscriber, lastEventId)) }
        pumpIfIdle()
    }

    /// The table may have events past `seq - 1` (a notification, a reconnect: nil).
    func wake(upTo seq: Int? = nil) {
        let wanted = state.withLock { state -> Bool in
            if let seq, state.isStarted, seq <= state.cursor { return false }
            state.mayHaveMore = true
            return true
        }
        if wanted { pumpIfIdle() }
    }

    /// This instance committed `event`: delivered at once when it is the next one and nothing
    /// else is reading, else read from the table in turn.
    func committed(_ event: StoredEvent) {
        let delivered = state.withLock { state -> Bool in
            guard state.isStarted, !state.isPumping, !state.isRetired else {
                state.mayHaveMore = true
                return false
            }
            if event.seq <= state.cursor { return true }
            guard event.seq == state.cursor + 1 else {
                state.mayHaveMore = true
                return false
            }
            apply(event, to: &state)
            return true
        }
        if !delivered { pumpIfIdle() }
    }

    /// Forgets a closed stream (live, arriving or being admitted); true when it was the last
    /// one and the follower retired.
    func remove(_ subscriber: Subscriber) -> Bool {
        state.withLock { state in
            if state.subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) == nil {
                if state.admitting === subscriber {
                    state.admittingClosed = true
                } else {
                    state.arriving.removeAll { $0.subscriber === subscriber }
                }
            }
            state.subscribersVersion &+= 1
            return Self.retireIfUnused(&state)
        }
    }

    /// True once the follower has no stream left and will do nothing more.
    var isRetired: Bool { state.withLock { $0.isRetired } }

    private static func retireIfUnused(_ state: inout State) -> Bool {
        guard state.subscribers.isEmpty, state.arriving.isEmpty, state.admitting == nil else { return false }
        state.isRetired = true
        return true
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Woken for events it has not started to read (the database is down, or it is about to).
    var isBehind: Bool { state.withLock { $0.isStarted && $0.mayHaveMore && !$0.isPumping } }

    /// Returns once nothing is being read and everything read was written to the streams.
    func settle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                guard state.isPumping else { return true }
                state.idleWaiters.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
        await delivery.deliverQueued()
    }

    // MARK: The pump

    private enum Step {
        case start
        case read(after: Int)
        case admit((subscriber: Subscriber, lastEventId: Int?))
        case stop
    }

    private func pumpIfIdle() {
        let start = state.withLock { state -> Bool in
            guard !state.isPumping, !state.isRetired else { return false }
            state.isPumping = true
            return true
        }
        if start { Task(executorPreference: executor) { await self.pump() } }
    }

    private func pump() async {
        while true {
            let step = state.withLock { state -> Step in
                if state.isRetired { return .stop }
                if !state.isStarted { return .start }
                if state.mayHaveMore {
                    state.mayHaveMore = false
                    return .read(after: state.cursor)
                }
                if !state.arriving.isEmpty {
                    let arrival = state.arriving.removeFirst()
                    state.admitting = arrival.subscriber
                    state.admittingClosed = false
                    return .admit(arrival)
                }
                return .stop
            }
            do throws(ChatError) {
                switch step {
                case .start: try await start()
                case .read(let after): try await read(after: after)
                case .admit(let arrival): try await admit(arrival.subscriber, after: arrival.lastEventId)
                case .stop:
                    if finishPumping() { return }
                }
            } catch {
                // The engine is down: try again shortly (a reconnect also wakes every follower).
                state.withLock { $0.mayHaveMore = true }
                if case .admit(let arrival) = step {
                    // Not admitted: it goes first again, unless it closed meanwhile.
                    let retired = state.withLock { state -> Bool in
                        let closed = state.admittingClosed
                        state.admitting = nil
                        if !closed { state.arriving.insert(arrival, at: 0) }
                        return closed && Self.retireIfUnused(&state)
                    }
                    if retired { onRetire(self) }
                }
                _ = finishPumping(force: true)
                executor.queue.asyncAfter(deadline: .now() + .milliseconds(250)) { [self] in pumpIfIdle() }
                return
            }
        }
    }

    /// Ends the pump unless work arrived meanwhile; wakes whoever waits for it to settle.
    private func finishPumping(force: Bool = false) -> Bool {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
            if !force, !state.isRetired, state.mayHaveMore || !state.arriving.isEmpty || !state.isStarted { return nil }
            state.isPumping = false
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        guard let waiters else { return false }
        for waiter in waiters { waiter.resume() }
        return true
    }

    private func start() async throws(ChatError) {
        guard let snapshot = try await source.snapshot(room) else {
            // The lobby is gone: nothing will ever come.
            let arrivals = state.withLock { state in
                state.isStarted = true
                state.mayHaveMore = false
                defer { state.arriving = [] }
                return state.arriving
            }
            for arrival in arrivals { arrival.subscriber.sink.finish() }
            return
        }
        state.withLock { state in
            state.isStarted = true
            state.cursor = snapshot.lastSeq
            state.members = snapshot.members
        }
    }

    private func read(after seq: Int) async throws(ChatError) {
        let events = try await source.events(room, after: seq, limit: Self.pageSize)
        state.withLock { state in
            for event in events where event.seq == state.cursor + 1 { apply(event, to: &state) }
            if events.count == Self.pageSize { state.mayHaveMore = true }
        }
    }

    /// Hands one event to the streams and keeps the lobby's members current (inside the lock).
    private func apply(_ event: StoredEvent, to state: inout State) {
        state.cursor = event.seq
        guard let frame = event.frame else { return }
        state.history.append(.init(seq: event.seq, frame: frame))
        if state.recipientsCache?.version != state.subscribersVersion {
            state.recipientsCache = (state.subscribersVersion, Array(state.subscribers.values))
        }
        let recipients = state.recipientsCache?.subscribers ?? []
        switch event.kind {
        case .join:
            state.members.insert(event.userId)
            delivery.deliver(frame, to: recipients, version: state.subscribersVersion)
        case .message:
            delivery.deliver(frame, to: recipients, version: state.subscribersVersion)
        case .leave:
            // The leaving user's streams get the leave, then end.
            state.members.remove(event.userId)
            let leaving = state.subscribers.filter { $0.value.userId == event.userId }
            delivery.deliver(frame, to: recipients, version: state.subscribersVersion) {
                for subscriber in leaving.values { subscriber.sink.finish() }
            }
            for key in leaving.keys { state.subscribers[key] = nil }
            if !leaving.isEmpty { state.subscribersVersion &+= 1 }
        }
    }

    /// Replays what a resuming stream missed (from the ring, else the table), then makes it live.
    private func admit(_ subscriber: Subscriber, after lastEventId: Int?) async throws(ChatError) {
        // An id past what this instance has read may be one the table already has: catch up first.
        while let lastEventId, let cursor = state.withLock({ $0.cursor < lastEventId ? $0.cursor : nil }) {
            let before = cursor
            try await read(after: cursor)
            if state.withLock({ $0.cursor }) == before { break }
        }
        let (cursor, isMember, retained) = state.withLock { state in
            (state.cursor, state.members.contains(subscriber.userId),
             Self.retainedFrames(state.history, after: lastEventId, cursor: state.cursor, maxBytes: limits.maxReplayBytes))
        }
        var frames: [EncodedEvent<Components.Schemas.ChatEvent>] = []
        if let lastEventId, lastEventId != cursor {
            // The replay window is the lobby's latest `historySize` events, as with the memory
            // store; here it is read from the table on any instance, after any restart.
            if case .frames(let retainedFrames) = retained, lastEventId >= cursor - limits.historySize {
                frames = retainedFrames
            } else if lastEventId < cursor - limits.historySize || isTooLarge(retained) {
                frames = resync(cursor)
            } else if lastEventId < cursor, lastEventId >= 0 {
                frames = try await tableFrames(after: lastEventId, upTo: cursor) ?? resync(cursor)
            } else {
                frames = resync(cursor)
            }
        }
        // Live now, unless it closed meanwhile or its user is no longer a member.
        let (isLive, retired) = state.withLock { state -> (Bool, Bool) in
            let closed = state.admittingClosed
            state.admitting = nil
            guard !closed, isMember else { return (false, closed && Self.retireIfUnused(&state)) }
            state.subscribers[ObjectIdentifier(subscriber)] = subscriber
            state.subscribersVersion &+= 1
            return (true, false)
        }
        if isLive {
            delivery.replay(frames, to: subscriber)
        } else if !isMember {
            // The user left after the stream's head went out: it still gets what happened up to
            // and including the leave, then ends, as it would have had it been admitted sooner.
            if !frames.isEmpty {
                delivery.replay(frames, to: subscriber)
                await delivery.deliverQueued()
            }
            subscriber.sink.finish()
        }
        if retired { onRetire(self) }
    }

    /// The frames after `lastEventId` from the ring: all of them, or that the ring does not hold
    /// them all, or that they are more than the replay limit (the stream then gets `resync`).
    private static func retainedFrames(
        _ history: EventHistory, after lastEventId: Int?, cursor: Int, maxBytes: Int
    ) -> RetainedReplay {
        guard let lastEventId, lastEventId < cursor, let oldest = history.oldestSeq, lastEventId >= oldest - 1 else { return .notRetained }
        let frames = history.frames(after: lastEventId)
        return frames.reduce(0, { $0 + $1.bytes.count }) <= maxBytes ? .frames(frames) : .tooLarge
    }

    private enum RetainedReplay {
        case frames([EncodedEvent<Components.Schemas.ChatEvent>])
        case notRetained
        case tooLarge
    }

    /// The events `(lastEventId, cursor]` from the table, or nil when they are more than the
    /// replay limit (the stream then gets `resync`).
    private func tableFrames(after lastEventId: Int, upTo cursor: Int) async throws(ChatError) -> [EncodedEvent<Components.Schemas.ChatEvent>]? {
        var frames: [EncodedEvent<Components.Schemas.ChatEvent>] = []
        var bytes = 0
        var seq = lastEventId
        while seq < cursor {
            let events = try await source.events(room, after: seq, limit: Self.pageSize)
            guard let last = events.last else { break }
            for event in events where event.seq <= cursor {
                guard let frame = event.frame else { continue }
                bytes += frame.bytes.count
                if bytes > limits.maxReplayBytes { return nil }
                frames.append(frame)
            }
            seq = last.seq
        }
        return frames
    }

    private func isTooLarge(_ replay: RetainedReplay) -> Bool {
        if case .tooLarge = replay { true } else { false }
    }

    /// What a stream gets instead of a replay: `resync` at the cursor.
    private func resync(_ cursor: Int) -> [EncodedEvent<Components.Schemas.ChatEvent>] {
        EncodedEvent.resync(room: room, lastSeq: cursor)
    }
}
