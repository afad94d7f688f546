import ChatAPI
import Dispatch
import HTTPServer
import Synchronization
import Testing
@testable import APIRuntime
@testable import ChatServer

/// A stream that records what is written to it.
final class RecordingStream: ResponseStream {
    private let state = Mutex<(writes: [[UInt8]], finished: Bool)>(([], false))

    func write(_ bytes: [UInt8]) { state.withLock { $0.writes.append(bytes) } }
    func finish() { state.withLock { $0.finished = true } }
    func onClose(_ handler: @escaping @Sendable () -> Void) {}
    var isClosed: Bool { state.withLock { $0.finished } }

    /// Each write as text.
    var writes: [String] { state.withLock { $0.writes.map { String(decoding: $0, as: UTF8.self) } } }
}

@Suite struct LobbyDeliveryTests {
    static func frame(_ seq: Int) -> EncodedEvent<Components.Schemas.ChatEvent> {
        try! EncodedEvent(Components.Schemas.ChatEvent.resync(Components.Schemas.Resync(room: "r", lastEventId: seq)), id: String(seq))
    }

    /// Runs `body` with the delivery's target queue held, so its events queue up, then lets it
    /// go and waits until everything is written.
    static func backlog(maxBatchBytes: Int = 64 * 1024, shards: Int = 1, _ body: (LobbyDelivery) -> Void) async {
        let target = DispatchQueue(label: "target")
        target.suspend()
        let delivery = LobbyDelivery(label: "lobby", target: target, maxBatchBytes: maxBatchBytes, shardCount: shards, minWritesPerShard: 1)
        body(delivery)
        target.resume()
        await delivery.deliverQueued()
    }

    static func makeSubscribers(_ count: Int) -> [(stream: RecordingStream, subscriber: Subscriber)] {
        (0..<count).map { _ in
            let stream = RecordingStream()
            return (stream, Subscriber(userId: "u", sink: EventSink(stream)))
        }
    }

    @Test(arguments: [1, 3])
    func eventsThatQueueUpGoOutInOneWritePerStream(shards: Int) async {
        let streams = Self.makeSubscribers(8)
        await Self.backlog(shards: shards) { delivery in
            for seq in 1...3 { delivery.deliver(Self.frame(seq), to: streams.map(\.subscriber), version: 1) }
        }
        for (stream, _) in streams {
            #expect(stream.writes.count == 1)
            #expect(stream.writes.first?.components(separatedBy: "id: ").count == 4)  // three frames, in order
            #expect(stream.writes.first?.hasPrefix("id: 1\n") == true)
        }
    }

    @Test func aBatchStopsAtItsByteLimit() async {
        let stream = RecordingStream()
        let subscriber = Subscriber(userId: "u", sink: EventSink(stream))
        let frameSize = Self.frame(1).bytes.count
        await Self.backlog(maxBatchBytes: 2 * frameSize) { delivery in
            for seq in 1...5 { delivery.deliver(Self.frame(seq), to: [subscriber], version: 1) }
        }
        #expect(stream.writes.map { $0.components(separatedBy: "id: ").count - 1 } == [2, 2, 1])
    }

    @Test(arguments: [1, 4])
    func aBatchStopsAtAnActionAndAtAChangeOfSubscribers(shards: Int) async {
        let streams = Self.makeSubscribers(16)
        let subscribers = streams.map(\.subscriber)
        let writesWhenActionRan = Mutex<[Int]>([])
        await Self.backlog(shards: shards) { delivery in
            delivery.deliver(Self.frame(1), to: subscribers, version: 1)
            delivery.deliver(Self.frame(2), to: subscribers, version: 1) {
                writesWhenActionRan.withLock { $0 = streams.map { $0.stream.writes.count } }
            }
            delivery.deliver(Self.frame(3), to: subscribers, version: 1)
            delivery.deliver(Self.frame(4), to: subscribers, version: 2)
        }
        for (stream, _) in streams {
            #expect(stream.writes.map { $0.components(separatedBy: "id: ").count - 1 } == [2, 1, 1])
        }
        // After the frames before it on every shard, before the rest on any.
        #expect(writesWhenActionRan.withLock { $0 } == Array(repeating: 1, count: streams.count))
    }

    @Test func aSmallRoundIsWrittenByOneShardABigOneByAsManyAsItFills() {
        #expect(LobbyDelivery.jobCount(writes: 0, busyShards: 0, minWritesPerShard: 2048) == 0)
        #expect(LobbyDelivery.jobCount(writes: 1000, busyShards: 2, minWritesPerShard: 2048) == 1)
        #expect(LobbyDelivery.jobCount(writes: 15000, busyShards: 2, minWritesPerShard: 2048) == 2)
        #expect(LobbyDelivery.jobCount(writes: 15000, busyShards: 16, minWritesPerShard: 2048) == 7)
    }

    @Test func subscribersAreSpreadOverEveryShard() {
        let delivery = LobbyDelivery(label: "lobby", target: DispatchQueue(label: "target"), shardCount: 4)
        let shards = Set(Self.makeSubscribers(64).map { delivery.shardIndex(of: $0.subscriber) })
        #expect(shards == [0, 1, 2, 3])
    }

    /// Shards writing in parallel on a concurrent queue while the subscriber set changes and
    /// replays come in: each stream gets, in seq order and once each, exactly the events from
    /// the one it joined at.
    @Test func shardsInParallelGiveEachStreamItsEventsInOrderExactlyOnce() async {
        let delivery = LobbyDelivery(
            label: "lobby", target: DispatchQueue(label: "target", attributes: .concurrent), maxBatchBytes: 512, shardCount: 4,
            minWritesPerShard: 1)
        let streams = Self.makeSubscribers(40)
        var joinedAt: [Int] = []
        var subscribed: [Subscriber] = []
        var version = 0
        for seq in 1...200 {
            if seq % 5 == 1, subscribed.count < streams.count {
                // A late joiner first gets a replay of the two events before it.
                let subscriber = streams[subscribed.count].subscriber
                subscribed.append(subscriber)
                version += 1
                let replay = seq > 2 ? [Self.frame(seq - 2), Self.frame(seq - 1)] : []
                joinedAt.append(seq > 2 ? seq - 2 : 1)
                delivery.replay(replay, to: subscriber)
            }
            delivery.deliver(Self.frame(seq), to: subscribed, version: version)
        }
        await delivery.deliverQueued()
        for (index, (stream, _)) in streams.enumerated() {
            let ids = stream.writes.joined().components(separatedBy: "\n").compactMap { line in
                line.hasPrefix("id: ") ? Int(line.dropFirst(4)) : nil
            }
            #expect(ids == Array(joinedAt[index]...200), "stream \(index)")
        }
    }

    @Test func anIdleDeliveryHoldsNoStream() async throws {
        let delivery = LobbyDelivery(
            label: "lobby", target: DispatchQueue(label: "target", attributes: .concurrent), shardCount: 2, minWritesPerShard: 1)
        weak var subscriber: Subscriber?
        do {
            let subscribers = Self.makeSubscribers(8).map(\.subscriber)
            subscriber = subscribers[0]
            delivery.deliver(Self.frame(1), to: subscribers, version: 1)
        }
        await delivery.deliverQueued()
        // A shard's finished job is released just after it signals the end of its round.
        for _ in 0..<100 where subscriber != nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(subscriber == nil)
    }

    @Test func deliverQueuedWaitsForEveryShard() async {
        let streams = Self.makeSubscribers(32)
        let delivery = LobbyDelivery(
            label: "lobby", target: DispatchQueue(label: "target", attributes: .concurrent), shardCount: 4, minWritesPerShard: 1)
        for seq in 1...50 { delivery.deliver(Self.frame(seq), to: streams.map(\.subscriber), version: 1) }
        await delivery.deliverQueued()
        for (stream, _) in streams {
            #expect(stream.writes.joined().components(separatedBy: "id: ").count - 1 == 50)
        }
    }
}
