/// The life of one followed lobby (PostgreSQL store) as a plain value: events in, actions
/// out, time passed in, in the shape of `ConnectionStateMachine`.
///
/// The shell (`LobbyFollower`) reports what happened (a stream arrived or closed, a read came
/// back or failed, a notification, a commit of this instance's, the retry timer) and does what
/// the returned actions say, in order. One read at a time: a snapshot first, then the events
/// after the cursor whenever the table may hold more, then the waiting streams, each admitted
/// once everything known to be committed is read. A failed read is tried again after a delay
/// that doubles from `retryDelay` up to `maxRetryDelay`, and starts over after a success.
struct LobbyFollowerMachine {
    /// A stream of this lobby, as the shell numbers them.
    struct StreamID: Hashable, Sendable {
        let value: Int
    }

    /// The lobby as of one moment.
    struct Snapshot: Equatable, Sendable {
        var lastSeq: Int
        var members: Set<String>
        /// Which lobby of the code it is (PostgreSQL: the lobby row's `position`).
        var lobbyId = 0
    }

    enum Event: Sendable {
        /// A stream wants the events after `lastEventId` (nil: live only).
        case streamArrived(StreamID, lastEventId: Int?)
        /// A stream closed (live, waiting or ended).
        case streamClosed(StreamID)
        /// `readSnapshot` came back; nil: there is no such lobby.
        case snapshotRead(Snapshot?)
        /// `readEvents` came back.
        case eventsRead([LiveEvent])
        /// The last read failed (the database is unreachable).
        case readFailed
        /// The table holds events up to `seq`; nil: notifications may have been missed (the
        /// listener reconnected), so read now without waiting for a retry.
        case notified(upTo: Int?)
        /// This instance committed `event`.
        case committed(LiveEvent)
        /// The instant of the last `scheduleRetry` may have come.
        case retryTimerFired
    }

    enum Action: Sendable {
        case readSnapshot
        case readEvents(after: Int, limit: Int)
        /// Seed the fan-out with the lobby as of the snapshot.
        case start(Snapshot)
        /// Hand these events, in order, to the fan-out.
        case publish([LiveEvent])
        /// Admit the stream to the fan-out, resuming after `lastEventId`, with `older` (read from
        /// the table) in front of what the ring holds.
        case admit(StreamID, after: Int?, older: [LiveEvent])
        /// End these streams: the lobby is gone.
        case end([StreamID])
        /// Report `retryTimerFired` at this instant.
        case scheduleRetry(at: ContinuousClock.Instant)
        /// Every stream closed: the follower is done, the store forgets it.
        case retire
    }

    private struct Arrival {
        let id: StreamID
        let lastEventId: Int?
        /// A read was made for it, because it resumes past the cursor.
        var caughtUp = false
    }

    private enum Read {
        case snapshot
        case events
        /// Events of the table the ring does not hold, for the first arrival.
        case older(StreamID, collected: [LiveEvent], bytes: Int)
    }

    /// Events read per query.
    static let pageSize = 500

    /// How far back a resume may reach (`ChatLimits.historySize`).
    let historySize: Int
    /// The most bytes of a replay (`ChatLimits.maxReplayBytes`): reading older events stops past it.
    let maxReplayBytes: Int
    let retryDelay: Duration
    let maxRetryDelay: Duration

    /// The seq of the last event handed to the fan-out; nil before the snapshot.
    private(set) var cursor: Int?
    /// The fan-out's ring holds events after this seq only (the snapshot's).
    private var ringStart = 0
    /// The table may hold events past `cursor`.
    private var mayHaveMore = false
    private var reading: Read?
    /// Waiting to retry a failed read until then.
    private(set) var retryAt: ContinuousClock.Instant?
    private var failures = 0
    private var arrivals: [Arrival] = []
    /// Every stream not closed yet: live, waiting, or ended and not closed yet.
    private var streams: Set<StreamID> = []
    private(set) var isRetired = false
    /// The lobby does not exist (or was deleted): streams end as they come.
    private(set) var isGone = false

    init(
        historySize: Int, maxReplayBytes: Int, retryDelay: Duration = .milliseconds(50), maxRetryDelay: Duration = .seconds(2)
    ) {
        self.historySize = historySize
        self.maxReplayBytes = maxReplayBytes
        self.retryDelay = retryDelay
        self.maxRetryDelay = maxRetryDelay
    }

    /// Waiting for events it was told of, or to retry, with no read under way (for readiness).
    var isBehind: Bool { cursor != nil && reading == nil && (mayHaveMore || retryAt != nil) }

    /// Nothing to do until something happens: no read under way, and nothing known to be read
    /// or admitted (or a retry pending).
    var isSettled: Bool {
        isRetired || isGone || (reading == nil && (retryAt != nil || (cursor != nil && !mayHaveMore && arrivals.isEmpty)))
    }

    /// The streams not closed yet.
    var streamCount: Int { streams.count }

    // MARK: Events

    /// Takes `event` at `now`; returns what to do, in order.
    mutating func receive(_ event: Event, now: ContinuousClock.Instant) -> [Action] {
        guard !isRetired else { return [] }
        var actions: [Action] = []
        switch event {
        case .streamArrived(let id, let lastEventId):
            streams.insert(id)
            if isGone {
                actions.append(.end([id]))
            } else {
                arrivals.append(Arrival(id: id, lastEventId: lastEventId))
            }
        case .streamClosed(let id):
            streams.remove(id)
            arrivals.removeAll { $0.id == id }
            if streams.isEmpty {
                isRetired = true
                return [.retire]
            }
        case .snapshotRead(let snapshot):
            guard case .snapshot = reading else { break }
            succeeded()
            if let snapshot {
                cursor = snapshot.lastSeq
                ringStart = snapshot.lastSeq
                actions.append(.start(snapshot))
            } else {
                isGone = true
                actions.append(.end(arrivals.map(\.id)))
                arrivals = []
            }
        case .eventsRead(let events):
            switch reading {
            case .events?:
                succeeded()
                publish(events, into: &actions)
                if events.count == Self.pageSize { mayHaveMore = true }
            case .older(let id, let collected, let bytes)?:
                succeeded()
                readOlder(events, for: id, after: collected, bytes: bytes, into: &actions)
            case .snapshot?, nil:
                break
            }
        case .readFailed:
            guard let failed = reading else { break }
            reading = nil
            if case .events = failed { mayHaveMore = true }
            failures += 1
            let delay = min(maxRetryDelay, retryDelay * (1 << min(failures - 1, 20)))
            retryAt = now + delay
            actions.append(.scheduleRetry(at: now + delay))
        case .notified(let seq):
            if let seq, let cursor, seq <= cursor { break }
            mayHaveMore = true
            // A reconnect: the engine is back, no need to wait out the delay.
            if seq == nil { retryAt = nil }
        case .committed(let event):
            guard let cursor, event.seq > cursor else { break }
            if reading == nil, retryAt == nil, !mayHaveMore, event.seq == cursor + 1 {
                publish([event], into: &actions)
            } else {
                mayHaveMore = true
            }
        case .retryTimerFired:
            if let retryAt, now >= retryAt { self.retryAt = nil }
        }
        step(into: &actions)
        return actions
    }

    // MARK: Steps

    /// Starts the next read, or admits the waiting streams, when nothing is under way.
    private mutating func step(into actions: inout [Action]) {
        while !isGone, reading == nil, retryAt == nil {
            guard let cursor else {
                reading = .snapshot
                actions.append(.readSnapshot)
                return
            }
            if mayHaveMore {
                mayHaveMore = false
                reading = .events
                actions.append(.readEvents(after: cursor, limit: Self.pageSize))
                return
            }
            guard let arrival = arrivals.first else { return }
            if let lastEventId = arrival.lastEventId, lastEventId > cursor, !arrival.caughtUp {
                // An id past what this instance has read may be one the table already has.
                arrivals[0].caughtUp = true
                mayHaveMore = true
                continue
            }
            if let lastEventId = arrival.lastEventId, lastEventId >= 0, lastEventId < ringStart, lastEventId >= cursor - historySize {
                // Within the replay window but before the ring: from the table, on any instance,
                // after any restart.
                reading = .older(arrival.id, collected: [], bytes: 0)
                actions.append(.readEvents(after: lastEventId, limit: Self.pageSize))
                return
            }
            arrivals.removeFirst()
            actions.append(.admit(arrival.id, after: arrival.lastEventId, older: []))
        }
    }

    /// The events that follow the cursor, handed on; the cursor moves past them. A closing
    /// is taken even after a gap (the lobby's other events went with it) and is the last: the
    /// fan-out ends every stream after it, and the streams still waiting end at once.
    private mutating func publish(_ events: [LiveEvent], into actions: inout [Action]) {
        guard var cursor else { return }
        var next: [LiveEvent] = []
        var closed = false
        for event in events where !closed && (event.seq == cursor + 1 || (event.effect == .closes && event.seq > cursor)) {
            next.append(event)
            cursor = event.seq
            closed = event.effect == .closes
        }
        self.cursor = cursor
        if !next.isEmpty { actions.append(.publish(next)) }
        if closed {
            isGone = true
            mayHaveMore = false
            actions.append(.end(arrivals.map(\.id)))
            arrivals = []
        }
    }

    /// A page of older events for the first arrival: another page, or its admission.
    private mutating func readOlder(
        _ events: [LiveEvent], for id: StreamID, after collected: [LiveEvent], bytes: Int, into actions: inout [Action]
    ) {
        // It closed while its events were read: the next arrival starts afresh.
        guard let arrival = arrivals.first, arrival.id == id, let lastEventId = arrival.lastEventId else { return }
        var collected = collected
        var bytes = bytes
        for event in events where event.seq == (collected.last?.seq ?? lastEventId) + 1 && event.seq <= ringStart {
            collected.append(event)
            bytes += event.frame.bytes.count
        }
        let end = collected.last?.seq ?? lastEventId
        if end < ringStart, events.count == Self.pageSize, bytes <= maxReplayBytes {
            reading = .older(id, collected: collected, bytes: bytes)
            actions.append(.readEvents(after: end, limit: Self.pageSize))
            return
        }
        // All of it, or all there is, or more than a replay may be (the fan-out sends `resync`).
        arrivals.removeFirst()
        actions.append(.admit(arrival.id, after: lastEventId, older: collected))
    }

    private mutating func succeeded() {
        reading = nil
        failures = 0
    }
}
