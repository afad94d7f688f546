/// One loop's share of the fan-out scenario: its subscribers' streams (and, on shard 0, the
/// publisher), checking that every subscriber gets every message once and in order.
///
/// `@unchecked Sendable`: built on the calling thread, then used only by the one loop thread
/// `ShardThreads` gives it, and read back only after that thread has finished (the group's
/// wait orders the accesses). What it shares with other shards goes through `FanoutLedger`.
final class FanoutShard: StreamShard, @unchecked Sendable {
    /// One subscriber's record.
    private struct Subscriber {
        let lobby: Int
        /// Bit `k`: message `k` arrived.
        var received: [UInt64]
        var distinct = 0
        var lastSeq = Int.min
        var ended = false
    }

    private let group: StreamGroup
    private let ledger: FanoutLedger
    private let marker: [UInt8]
    private var subscribers: [Subscriber]
    /// Posts on this shard's loop (shard 0 only).
    let publisher: FanoutPublisher?

    private(set) var histogram = LatencyHistogram()
    private(set) var deliveries = 0
    private(set) var duplicates = 0
    private(set) var reordered = 0
    private(set) var resyncs = 0
    private(set) var endedEarly = 0
    private(set) var lastDeliveryAt: UInt64 = 0
    private(set) var failure: (any Error)?
    private var targetsKnown = false
    private var incomplete = 0

    /// A shard holding one stream per entry of `lobbies` (the subscriber's lobby), opened with
    /// `requests`; `nonce` is the run's, found in every message it posts.
    init(address: LoopbackAddress, requests: [[UInt8]], lobbies: [Int], ledger: FanoutLedger, nonce: String,
         maxConnecting: Int, publisher: FanoutPublisher?) throws {
        group = try StreamGroup(address: address, requests: requests, maxConnecting: maxConnecting)
        self.ledger = ledger
        self.publisher = publisher
        marker = Array("cb-\(nonce)-".utf8)
        let words = (ledger.messagesPerLobby + 63) / 64
        subscribers = lobbies.map { Subscriber(lobby: $0, received: Array(repeating: 0, count: words)) }
        group.onEvent = { [unowned self] index, id, data, now in receive(index, id: id, data: data, now: now) }
        group.onEnd = { [unowned self] index in ended(index) }
    }

    /// Streams that opened.
    var openedCount: Int { group.openedCount }
    /// Why the first stream that ended did.
    var firstEnd: StreamEnd? { group.firstEnd }
    /// Messages this shard's subscribers should have had, summed.
    var expectedDeliveries: Int { subscribers.reduce(0) { $0 + (ledger.postedCount(lobby: $1.lobby) ?? 0) } }

    /// Opens every stream (phase 1).
    func open(deadline: UInt64) {
        do { try group.openAll(deadline: deadline, naming: "streams") } catch { failure = error }
    }

    /// Posts (shard 0) and receives until every subscriber has every message, or `timeout`
    /// seconds after publishing ended, or `deadline` (phase 2). Then closes everything.
    func deliver(timeout: Double, maxPostingSeconds: Double, deadline: UInt64) {
        do {
            try group.deliver(publishing: publisher, maxPostingSeconds: maxPostingSeconds, deadline: deadline) { now in
                if !targetsKnown { learnTargets() }
                if targetsKnown && incomplete == 0 { return true }
                if let finishedAt = ledger.publishingFinishedAt, now > finishedAt + UInt64(timeout * 1e9) { return true }
                return false
            }
        } catch {
            failure = error
        }
    }

    /// Once publishing is over: how many subscribers still miss messages.
    private func learnTargets() {
        guard ledger.publishingFinishedAt != nil else { return }
        targetsKnown = true
        incomplete = subscribers.filter { !$0.ended && $0.distinct < (ledger.postedCount(lobby: $0.lobby) ?? 0) }.count
    }

    /// Subscriber `index` missed this many of its lobby's messages.
    func lost(_ index: Int) -> Int {
        max(0, (ledger.postedCount(lobby: subscribers[index].lobby) ?? 0) - subscribers[index].distinct)
    }

    /// All missed messages on this shard.
    var lost: Int { subscribers.indices.reduce(0) { $0 + lost($1) } }

    private func receive(_ index: Int, id: Int?, data: UnsafeRawBufferPointer, now: UInt64) {
        guard let (message, sentAt) = MessageMarker.find(marker, in: data) else {
            if MessageMarker.contains(MessageMarker.resyncType, in: data) { resyncs += 1 }
            return
        }
        guard message < ledger.messagesPerLobby else { return }
        let word = message >> 6
        let bit = UInt64(1) << UInt64(message & 63)
        if subscribers[index].received[word] & bit != 0 {
            duplicates += 1
            return
        }
        subscribers[index].received[word] |= bit
        subscribers[index].distinct += 1
        if let id {
            if id <= subscribers[index].lastSeq { reordered += 1 }
            subscribers[index].lastSeq = max(subscribers[index].lastSeq, id)
        }
        deliveries += 1
        lastDeliveryAt = now
        histogram.record(nanoseconds: now > sentAt ? now - sentAt : 0)
        let lobby = subscribers[index].lobby
        ledger.delivered(lobby: lobby, index: message)
        if targetsKnown, subscribers[index].distinct == ledger.postedCount(lobby: lobby) { incomplete -= 1 }
    }

    private func ended(_ index: Int) {
        endedEarly += 1
        subscribers[index].ended = true
        ledger.streamEnded(lobby: subscribers[index].lobby)
        if targetsKnown, subscribers[index].distinct < (ledger.postedCount(lobby: subscribers[index].lobby) ?? 0) { incomplete -= 1 }
    }
}
