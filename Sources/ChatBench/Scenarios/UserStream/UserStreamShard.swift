/// One loop's share of the user-stream scenario: user streams (`/chat/users/{id}/events`), each
/// following every lobby, checking that each gets every message of every lobby once and, per
/// lobby, in order. Messages are told apart by lobby through the room code in the event
/// (`ub-<nonce>-<lobby>-0`) and by index through the content's marker.
///
/// `@unchecked Sendable`: built on the calling thread, then used only by the one loop thread
/// `ShardThreads` gives it, and read back after that thread has finished.
final class UserStreamShard: StreamShard, @unchecked Sendable {
    private struct Stream {
        /// Per lobby: bit `k` is message `k`.
        var received: [[UInt64]]
        /// Per lobby: the highest index seen.
        var lastIndex: [Int]
        var distinct = 0
        var ended = false
    }

    private let group: StreamGroup
    private let ledger: FanoutLedger
    private let marker: [UInt8]
    private let roomMarker: [UInt8]
    private var streams: [Stream]
    let publisher: FanoutPublisher?

    private(set) var histogram = LatencyHistogram()
    private(set) var deliveries = 0
    private(set) var duplicates = 0
    private(set) var reordered = 0
    private(set) var resyncs = 0
    private(set) var endedEarly = 0
    private(set) var lastDeliveryAt: UInt64 = 0
    private(set) var failure: (any Error)?

    init(address: LoopbackAddress, requests: [[UInt8]], lobbies: Int, ledger: FanoutLedger, nonce: String, maxConnecting: Int,
         publisher: FanoutPublisher?) throws {
        group = try StreamGroup(address: address, requests: requests, maxConnecting: maxConnecting)
        self.ledger = ledger
        self.publisher = publisher
        marker = Array("cb-\(nonce)-".utf8)
        roomMarker = Array(UserStreamScenario.roomPrefix(nonce).utf8)
        let words = (ledger.messagesPerLobby + 63) / 64
        streams = requests.map { _ in
            Stream(received: Array(repeating: Array(repeating: 0, count: words), count: lobbies), lastIndex: Array(repeating: -1, count: lobbies))
        }
        group.onEvent = { [unowned self] index, _, data, now in receive(index, data: data, now: now) }
        group.onEnd = { [unowned self] index in
            endedEarly += 1
            streams[index].ended = true
        }
    }

    var openedCount: Int { group.openedCount }
    var firstEnd: StreamEnd? { group.firstEnd }
    var expectedDeliveries: Int { streams.count * ledger.subscribersPerLobby.indices.reduce(0) { $0 + (ledger.postedCount(lobby: $1) ?? 0) } }
    /// Messages some stream here missed.
    var lost: Int { max(0, expectedDeliveries - deliveries) }

    func open(deadline: UInt64) {
        do { try group.openAll(deadline: deadline, naming: "user streams") } catch { failure = error }
    }

    /// Posts (shard 0) and receives until every stream has every message, or `timeout` seconds
    /// after publishing ended, or `deadline`.
    func deliver(timeout: Double, maxPostingSeconds: Double, deadline: UInt64) {
        do {
            try group.deliver(publishing: publisher, maxPostingSeconds: maxPostingSeconds, deadline: deadline) { now in
                guard let finishedAt = ledger.publishingFinishedAt else { return false }
                if deliveries + endedLoss >= expectedDeliveries { return true }
                return now > finishedAt + UInt64(timeout * 1e9)
            }
        } catch {
            failure = error
        }
    }

    /// What ended streams will never get (so the shard does not wait for it).
    private var endedLoss: Int {
        streams.filter(\.ended).reduce(0) { total, stream in
            total + ledger.subscribersPerLobby.indices.reduce(0) { $0 + (ledger.postedCount(lobby: $1) ?? 0) } - stream.distinct
        }
    }

    private func receive(_ index: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        guard let (message, sentAt) = MessageMarker.find(marker, in: data) else {
            if MessageMarker.contains(MessageMarker.resyncType, in: data) { resyncs += 1 }
            return
        }
        guard message < ledger.messagesPerLobby, let (lobby, _) = MessageMarker.find(roomMarker, in: data),
            lobby < streams[index].received.count
        else { return }
        let word = message >> 6
        let bit = UInt64(1) << UInt64(message & 63)
        if streams[index].received[lobby][word] & bit != 0 {
            duplicates += 1
            return
        }
        streams[index].received[lobby][word] |= bit
        streams[index].distinct += 1
        if message < streams[index].lastIndex[lobby] { reordered += 1 }
        streams[index].lastIndex[lobby] = max(streams[index].lastIndex[lobby], message)
        deliveries += 1
        lastDeliveryAt = now
        histogram.record(nanoseconds: now > sentAt ? now - sentAt : 0)
        ledger.delivered(lobby: lobby, index: message)
    }
}
