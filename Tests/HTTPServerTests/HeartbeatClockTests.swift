import Dispatch
import Synchronization
import Testing
@testable import HTTPServer

/// A stream that records its writes and closes when told to.
private final class ClosableStream: ResponseStream {
    private let state = Mutex<(writes: [[UInt8]], closed: Bool, handlers: [@Sendable () -> Void])>(([], false, []))

    func write(_ bytes: [UInt8]) { state.withLock { if !$0.closed { $0.writes.append(bytes) } } }
    func finish() { close() }
    func onClose(_ handler: @escaping @Sendable () -> Void) { state.withLock { $0.handlers.append(handler) } }
    var isClosed: Bool { state.withLock { $0.closed } }
    var pings: Int { state.withLock { $0.writes.filter { $0 == HeartbeatStream.ping }.count } }

    func close() {
        let handlers = state.withLock { state in
            state.closed = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }
}

/// The heartbeat clock shared by the streams of one interval.
@Suite struct HeartbeatClockTests {
    @Test func streamsOfOneIntervalShareAClockThatStopsWithTheLast() throws {
        // An interval no other test uses, so this test alone decides when its clock runs.
        let interval = Duration.milliseconds(37)
        let nanoseconds = UInt64(interval.components.attoseconds / 1_000_000_000)
        let (first, second) = (ClosableStream(), ClosableStream())
        let heartbeats = [HeartbeatStream(wrapping: first, interval: interval), HeartbeatStream(wrapping: second, interval: interval)]
        #expect(HeartbeatClock.isRunning(intervalNanoseconds: nanoseconds))
        let deadline = DispatchTime.now() + .seconds(5)
        while (first.pings == 0 || second.pings == 0) && DispatchTime.now() < deadline { usleepMilliseconds(5) }
        #expect(first.pings > 0 && second.pings > 0)

        first.close()
        #expect(!heartbeats[0].isHeartbeatActive)
        #expect(heartbeats[1].isHeartbeatActive)
        let seen = second.pings
        while second.pings == seen && DispatchTime.now() < deadline { usleepMilliseconds(5) }
        #expect(second.pings > seen)  // the clock goes on for the stream still open

        second.close()
        #expect(!HeartbeatClock.isRunning(intervalNanoseconds: nanoseconds))
    }
}
