import APIRuntime
import ChatAPI
import Dispatch

/// A lobby's live streams, for either store: who is a member as of the latest event, the open
/// streams, the retained history, and the one place that decides what a new stream gets and
/// what each event does to the streams. A store hands it committed events in seq order
/// (`publish`) and new streams (`admit`); it writes through the lobby's `LobbyDelivery`, off
/// the caller's lock.
///
/// Not thread-safe by itself: its owner serializes every call (the memory store under its
/// lock, the PostgreSQL store under its follower's), so that an admission and the events
/// around it are decided in one order. That is why it need not be `Sendable`. Nothing here
/// writes to a socket or ends a stream under that lock: both happen on the delivery queue.
final class LobbyFanout {
    let room: String
    let delivery: LobbyDelivery
    /// The seq of the latest event published (0 before the first).
    private(set) var lastSeq: Int
    /// The members as of `lastSeq`: seeded by the store, then kept by the events' effects.
    private(set) var members: Set<String>
    private(set) var history: EventHistory
    /// The most bytes a replay may have; past it a resuming stream gets `resync`.
    let maxReplayBytes: Int
    /// The open streams, by identity (removal is O(1) when one closes).
    private var subscribers: [ObjectIdentifier: Subscriber] = [:] {
        // Without `oldValue`, so the dictionary changes in place (SE-0268); with it, each change
        // copied the whole dictionary, and 15,000 streams closing cost 15,000 copies of it.
        didSet {
            if tallied != subscribers.count {
                sizes?.changed(from: tallied, to: subscribers.count)
                tallied = subscribers.count
            }
            subscribersVersion &+= 1
            // Not kept for a later version: it would hold closed streams until the next event.
            recipientsCache = nil
        }
    }
    /// The stream count `sizes` was last told.
    private var tallied = 0
    /// Changes whenever `subscribers` does, so deliveries can tell equal recipient sets apart.
    private var subscribersVersion = 0
    /// The version of the latest ephemeral delivery's recipients: negative, each one new.
    private var ephemeralVersion = 0
    /// `subscribers` as the array every delivery of this version shares (made once per version,
    /// not per event: a big lobby's post would otherwise copy thousands under the lock).
    private var recipientsCache: (version: Int, subscribers: [Subscriber])?
    /// Where the lobby counts its open streams for `/metrics`.
    private let sizes: LobbySizeTally?
    /// Each user's open streams here, and where their first opening and last closing go.
    private var presence = LobbyPresence()
    private let presenceObserver: (any PresenceObserver)?

    init(
        room: String, lastSeq: Int = 0, members: Set<String> = [], limits: ChatLimits, deliveryTarget: DispatchQueue,
        sizes: LobbySizeTally? = nil, presence: (any PresenceObserver)? = nil
    ) {
        self.room = room
        presenceObserver = presence
        self.lastSeq = lastSeq
        self.members = members
        self.sizes = sizes
        maxReplayBytes = limits.maxReplayBytes
        history = EventHistory(capacity: limits.historySize)
        delivery = LobbyDelivery(label: "chat.lobby.\(room)", target: deliveryTarget, maxBatchBytes: limits.maxBatchBytes)
    }

    /// How many streams are live.
    var subscriberCount: Int { subscribers.count }

    /// Starts over from a store's snapshot: the latest seq and the members as of it (the
    /// PostgreSQL follower, once it has read the lobby). Nothing before it is retained.
    func reset(lastSeq: Int, members: Set<String>) {
        self.lastSeq = lastSeq
        self.members = members
        history = EventHistory(capacity: history.capacity)
    }

    // MARK: Events

    /// Takes the next committed event: retains it, applies its effect, and queues it for every
    /// live stream (in seq order, since calls are serialized). An event already published is
    /// ignored. With no stream, nothing is queued: no hop to another queue.
    func publish(_ event: LiveEvent) {
        guard event.seq > lastSeq else { return }
        lastSeq = event.seq
        history.append(event)
        switch event.effect {
        case .none: break
        case .joins(let userId): members.insert(userId)
        case .leaves(let userId): members.remove(userId)
        case .closes: members = []
        }
        guard !subscribers.isEmpty else { return }
        let ending = event.effect == .closes || event.leavingUser != nil ? subscribers.values.filter { event.ends($0.userId) } : []
        // The leaving user's streams (every stream, for a closing) get the event, then end.
        var end: (@Sendable () -> Void)?
        if !ending.isEmpty { end = { for subscriber in ending { subscriber.sink.finish() } } }
        delivery.deliver(event.frame, to: recipients, version: subscribersVersion, then: end)
        for subscriber in ending { remove(subscriber) }
    }

    /// Queues an ephemeral event (`typing`) for every live stream but those of `excludedUser`:
    /// no seq, no history, so no replay and no resume point; in order with the lobby's other
    /// deliveries, since it goes through the same `LobbyDelivery`.
    func deliverEphemeral(_ frame: EncodedEvent<Components.Schemas.ChatEvent>, excluding excludedUser: String) {
        deliverEphemeral(frame) { $0.userId != excludedUser }
    }

    /// Queues an ephemeral event for the live streams `isRecipient` picks (`presence`: those
    /// that asked for it), as `deliverEphemeral(_:excluding:)` does.
    func deliverEphemeral(_ frame: EncodedEvent<Components.Schemas.ChatEvent>, to isRecipient: (Subscriber) -> Bool) {
        let recipients = recipients.filter(isRecipient)
        guard !recipients.isEmpty else { return }
        // A recipient set of its own: a version no other delivery has, so it is never batched
        // with events for the whole set (counting down, apart from `subscribersVersion`).
        ephemeralVersion &-= 1
        delivery.deliver(frame, to: recipients, version: ephemeralVersion)
    }

    /// Forgets the retained events up to `seq` (the memory budget trimmed them).
    func forgetHistory(through seq: Int) {
        history.dropThrough(seq)
    }

    // MARK: Streams

    /// Adds a new stream, resuming after `lastEventId` (nil: live only). `older` are events
    /// from `lastEventId + 1` on that the caller read elsewhere (the events table) because the
    /// ring may not reach back that far. A member's stream gets its replay (or `resync`), then
    /// everything live, in order with the deliveries. A stream whose user is no longer a
    /// member (they left after the stream was checked) gets what happened up to and including
    /// their leave, then ends; true when the stream is live.
    @discardableResult
    func admit(_ subscriber: Subscriber, after lastEventId: Int?, older: [LiveEvent] = []) -> Bool {
        let replay = replay(after: lastEventId, older: older)
        if members.contains(subscriber.userId) {
            subscribers[ObjectIdentifier(subscriber)] = subscriber
            if presence.open(subscriber.userId) { presenceObserver?.streamsChanged(room: room, userId: subscriber.userId, open: true) }
            delivery.replay(frames(of: replay), to: subscriber)
            return true
        }
        var leaving = replay
        if case .events(let events) = replay {
            let leave = events.firstIndex { $0.ends(subscriber.userId) }
            leaving = .events(leave.map { Array(events[...$0]) } ?? [])
        }
        end(subscriber, after: frames(of: leaving))
        return false
    }

    /// Sends `frames` to a stream that is not (or no longer) live, then ends it.
    func end(_ subscriber: Subscriber, after frames: [EncodedEvent<Components.Schemas.ChatEvent>] = []) {
        delivery.replay(frames, to: subscriber)
        delivery.afterQueued { subscriber.sink.finish() }
    }

    /// Forgets a closed stream.
    func remove(_ subscriber: Subscriber) {
        guard subscribers.removeValue(forKey: ObjectIdentifier(subscriber)) != nil else { return }
        if presence.close(subscriber.userId) { presenceObserver?.streamsChanged(room: room, userId: subscriber.userId, open: false) }
    }

    /// The live streams, as one array per version of the set.
    private var recipients: [Subscriber] {
        if let recipientsCache, recipientsCache.version == subscribersVersion { return recipientsCache.subscribers }
        let subscribers = Array(subscribers.values)
        recipientsCache = (subscribersVersion, subscribers)
        return subscribers
    }
}
