import APIRuntime
import ChatAPI
import Dispatch

/// One open event stream of a lobby: whose it is, and where its events go.
final class Subscriber: Sendable {
    let userId: String
    let sink: EventSink<Components.Schemas.ChatEvent>

    init(userId: String, sink: EventSink<Components.Schemas.ChatEvent>) {
        self.userId = userId
        self.sink = sink
    }
}

/// A lobby's state: members in join order, messages, one event sequence, the retained history
/// and the open streams. A class so that appending never copies; reached only under the
/// store's lock, which is why it need not be `Sendable`.
final class Lobby {
    let room: String
    let createdAt: String
    var members: [Components.Schemas.User] = []
    /// Every retained message, in seq order (the memory budget trims the oldest).
    var messages: [Components.Schemas.Message] = []
    /// What `messages` costs the memory budget, by `Lobby.cost(of:)`.
    var messageBytes = 0
    /// The seq of the latest event (0 before the first).
    var lastSeq = 0
    var history: EventHistory
    /// The open streams, by identity (removal is O(1) when one closes).
    var subscribers: [ObjectIdentifier: Subscriber] = [:] {
        didSet {
            subscribersVersion &+= 1
            // Not kept for a later version: it would hold closed streams until the next event.
            recipientsCache = nil
        }
    }
    /// Changes whenever `subscribers` does, so deliveries can tell equal recipient sets apart.
    private(set) var subscribersVersion = 0
    /// `subscribers` as the array every delivery of this version shares (made once per version,
    /// not per event: a big lobby's post would otherwise copy thousands under the store's lock).
    private var recipientsCache: (version: Int, subscribers: [Subscriber])?
    /// Delivers this lobby's frames in seq order, outside the store's lock.
    let delivery: LobbyDelivery

    init(room: String, createdAt: String, limits: ChatLimits, deliveryTarget: DispatchQueue) {
        self.room = room
        self.createdAt = createdAt
        self.history = EventHistory(capacity: limits.historySize)
        self.delivery = LobbyDelivery(label: "chat.lobby.\(room)", target: deliveryTarget, maxBatchBytes: limits.maxBatchBytes)
    }

    /// The lobby as the API shows it: its first `shown` members, and how many it has when
    /// those are not all.
    func snapshot(showing shown: Int) -> Components.Schemas.Lobby {
        guard members.count > shown else { return Components.Schemas.Lobby(room: room, createdAt: createdAt, members: members) }
        return Components.Schemas.Lobby(room: room, createdAt: createdAt, members: Array(members.prefix(shown)), memberCount: members.count)
    }

    func isMember(_ userId: String) -> Bool {
        members.contains { $0.id == userId }
    }

    /// Takes the next seq for `makeEvent`, encodes the event once, retains it, and queues it
    /// for every current subscriber (in seq order, since queueing happens under the lock).
    /// `then` runs on the delivery queue after the frame went out.
    @discardableResult
    func publish(
        _ makeEvent: (Int) -> Components.Schemas.ChatEvent, then: (@Sendable () -> Void)? = nil
    ) -> Components.Schemas.ChatEvent {
        lastSeq += 1
        let event = makeEvent(lastSeq)
        guard let frame = try? EncodedEvent(event, id: String(lastSeq)) else { return event }
        history.append(.init(seq: lastSeq, frame: frame))
        delivery.deliver(frame, to: recipients, version: subscribersVersion, then: then)
        return event
    }

    /// The open streams, as one array per version of the set.
    private var recipients: [Subscriber] {
        if let recipientsCache, recipientsCache.version == subscribersVersion { return recipientsCache.subscribers }
        let subscribers = Array(subscribers.values)
        recipientsCache = (subscribersVersion, subscribers)
        return subscribers
    }

    /// The bytes the memory budget counts for this lobby: messages and retained frames.
    var retainedBytes: Int { messageBytes + history.bytes }

    /// What one message costs the budget: its text and name, and a fixed overhead for the
    /// struct, its ids and timestamp (its frame is counted in `history`).
    static func cost(of message: Components.Schemas.Message) -> Int {
        message.content.utf8.count + message.name.utf8.count + 192
    }

    /// Keeps `message` (the next in seq order).
    func retain(_ message: Components.Schemas.Message) {
        messages.append(message)
        messageBytes += Self.cost(of: message)
    }

    /// Drops the oldest messages until at least `bytes` are freed (or none are left), and the
    /// events up to the last one dropped; returns the bytes freed.
    func trimOldest(freeing bytes: Int) -> Int {
        let before = retainedBytes
        var freed = 0
        var count = 0
        while count < messages.count, freed < bytes {
            freed += Self.cost(of: messages[count])
            count += 1
        }
        guard count > 0 else { return 0 }
        let lastSeq = messages[count - 1].seq
        messages.removeFirst(count)
        messageBytes -= freed
        history.dropThrough(lastSeq)
        return before - retainedBytes
    }

    /// The messages `listMessages` answers: the first `limit` after `after`, or the latest `limit`.
    func messages(limit: Int, after: Int?) -> [Components.Schemas.Message] {
        guard let after else { return Array(messages.suffix(limit)) }
        // Binary search for the first message with seq > after.
        var low = 0
        var high = messages.count
        while low < high {
            let middle = (low + high) / 2
            if messages[middle].seq <= after { low = middle + 1 } else { high = middle }
        }
        return Array(messages[low..<min(messages.count, low + limit)])
    }
}
