import APIRuntime
import ChatAPI
import Dispatch
import Foundation

/// A lobby as the memory store keeps it: members in join order, messages, and its live
/// streams (`LobbyFanout`, which also numbers its events). A class so that appending never
/// copies; reached only under the store's lock, which is why it need not be `Sendable`.
final class StoredLobby {
    let room: String
    let createdAt: String
    var members: [Components.Schemas.User] = []
    /// Every retained message, in seq order (the memory budget trims the oldest).
    var messages: [Components.Schemas.Message] = []
    /// What `messages` costs the memory budget, by `StoredLobby.cost(of:)`.
    var messageBytes = 0
    /// The retained messages by id, and which are deleted (StoredLobby+Editing.swift).
    var index = MessageIndex()
    /// When the lobby was created or last had an event: an empty lobby idle long enough is retired.
    var activeAt: Date
    /// The open streams, the retained events and the seq.
    let fanout: LobbyFanout

    init(
        room: String, createdAt: String, activeAt: Date, limits: ChatLimits, deliveryTarget: DispatchQueue,
        sizes: LobbySizeTally? = nil
    ) {
        self.room = room
        self.createdAt = createdAt
        self.activeAt = activeAt
        fanout = LobbyFanout(room: room, limits: limits, deliveryTarget: deliveryTarget, sizes: sizes)
    }

    /// The seq of the latest event (0 before the first).
    var lastSeq: Int { fanout.lastSeq }

    /// The lobby as the API shows it: its first `shown` members, and how many it has when
    /// those are not all.
    func snapshot(showing shown: Int) -> Components.Schemas.Lobby {
        guard members.count > shown else { return Components.Schemas.Lobby(room: room, createdAt: createdAt, members: members) }
        return Components.Schemas.Lobby(room: room, createdAt: createdAt, members: Array(members.prefix(shown)), memberCount: members.count)
    }

    /// By the fan-out's set of members (the same as `members`: joins and leaves keep both), so
    /// a post into a big lobby does not scan the list under the lock.
    func isMember(_ userId: String) -> Bool {
        fanout.members.contains(userId)
    }

    /// Takes the next seq for `makeEvent`, and hands the event to the live streams (under the
    /// store's lock, so in seq order).
    @discardableResult
    func publish(_ makeEvent: (Int) -> Components.Schemas.ChatEvent) -> Components.Schemas.ChatEvent {
        let seq = fanout.lastSeq + 1
        let event = makeEvent(seq)
        fanout.publish(LiveEvent(event, seq: seq, room: room))
        return event
    }

    /// Publishes `message` with the next seq, its frame made from `frame` (made before the
    /// lock), and returns it as numbered, with its JSON when the frame made it.
    func publish(
        _ message: Components.Schemas.Message, frame: MessageFrame?
    ) -> (message: Components.Schemas.Message, json: EncodedJSON<Components.Schemas.Message>?) {
        var message = message
        message.seq = fanout.lastSeq + 1
        guard let frame else {
            fanout.publish(LiveEvent(.message(message), seq: message.seq, room: room))
            return (message, nil)
        }
        let (event, json) = frame.frame(name: message.name, seq: message.seq)
        fanout.publish(LiveEvent(seq: message.seq, frame: event))
        return (message, json)
    }

    /// The bytes the memory budget counts for this lobby: messages and retained frames.
    var retainedBytes: Int { messageBytes + fanout.history.bytes }

    /// What one message costs the budget, as the heap holds it (`HeapCost`): its slot in
    /// `messages` (one and a half times its size: the array grows by doubling), the storage of each of its
    /// strings, its entry in `index` and its seq among its author's own (`MemberReadings`).
    /// Its frame is counted in `history`.
    static func cost(of message: Components.Schemas.Message) -> Int {
        let strings = [message.id, message.room, message.userId, message.name, message.content, message.sentAt, message.editedAt ?? ""]
        return 3 * MemoryLayout<Components.Schemas.Message>.stride / 2 + strings.reduce(0) { $0 + HeapCost.string($1) }
            + MessageIndex.entryCost + 2 * MemoryLayout<Int>.stride
    }

    /// Keeps `message` (the next in seq order).
    func retain(_ message: Components.Schemas.Message) {
        messages.append(message)
        messageBytes += Self.cost(of: message)
        index.added(message)
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
        index.dropped(messages[..<count])
        messages.removeFirst(count)
        messageBytes -= freed
        fanout.forgetHistory(through: lastSeq)
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
