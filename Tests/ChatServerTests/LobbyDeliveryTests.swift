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
    static func frame(_ seq: Int) -> EncodedEvent<ChatEvent> {
        try! EncodedEvent(ChatEvent.resync(Resync(room: "r", lastEventId: seq)), id: String(seq))
    }

    /// Runs `body` with the delivery's target queue held, so its events queue up, then lets it go.
    static func backlog(_ body: (LobbyDelivery) -> Void) {
        let target = DispatchQueue(label: "target")
        target.suspend()
        let delivery = LobbyDelivery(label: "lobby", target: target)
        body(delivery)
        target.resume()
        target.sync {}
        target.sync {}
    }

    @Test func eventsThatQueueUpGoOutInOneWritePerStream() {
        let streams = [RecordingStream(), RecordingStream()]
        let subscribers = streams.map { Subscriber(userId: "u", sink: EventSink($0)) }
        Self.backlog { delivery in
            for seq in 1...3 { delivery.deliver(Self.frame(seq), to: subscribers, version: 1) }
        }
        for stream in streams {
            #expect(stream.writes.count == 1)
            #expect(stream.writes.first?.components(separatedBy: "id: ").count == 4)  // three frames, in order
            #expect(stream.writes.first?.hasPrefix("id: 1\n") == true)
        }
    }

    @Test func aBatchStopsAtItsByteLimit() {
        let stream = RecordingStream()
        let subscriber = Subscriber(userId: "u", sink: EventSink(stream))
        let frameSize = Self.frame(1).bytes.count
        let target = DispatchQueue(label: "target")
        target.suspend()
        let delivery = LobbyDelivery(label: "lobby", target: target, maxBatchBytes: 2 * frameSize)
        for seq in 1...5 { delivery.deliver(Self.frame(seq), to: [subscriber], version: 1) }
        target.resume()
        target.sync {}
        target.sync {}
        #expect(stream.writes.map { $0.components(separatedBy: "id: ").count - 1 } == [2, 2, 1])
    }

    @Test func aBatchStopsAtAnActionAndAtAChangeOfSubscribers() {
        let stream = RecordingStream()
        let subscriber = Subscriber(userId: "u", sink: EventSink(stream))
        let writesWhenActionRan = Mutex(-1)
        Self.backlog { delivery in
            delivery.deliver(Self.frame(1), to: [subscriber], version: 1)
            delivery.deliver(Self.frame(2), to: [subscriber], version: 1) {
                writesWhenActionRan.withLock { $0 = stream.writes.count }
            }
            delivery.deliver(Self.frame(3), to: [subscriber], version: 1)
            delivery.deliver(Self.frame(4), to: [subscriber], version: 2)
        }
        #expect(stream.writes.map { $0.components(separatedBy: "id: ").count - 1 } == [2, 1, 1])
        #expect(writesWhenActionRan.withLock { $0 } == 1)  // after the frames before it, before the rest
    }
}
