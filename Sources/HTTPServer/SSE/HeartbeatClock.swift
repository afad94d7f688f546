import Dispatch
import EventLoop
import Synchronization

/// One timer for every heartbeat stream with the same interval, instead of a Dispatch timer
/// per stream: it ticks four times an interval and pings the streams that were silent for a
/// whole interval, so a silence gets its ping within 1.25 intervals of the last write.
///
/// The clock holds its streams until they leave (when they close); with none left, its
/// timer is cancelled and the clock forgotten, and the next stream makes a new one.
final class HeartbeatClock: Sendable {
    /// The clocks that run, by interval in nanoseconds.
    private static let clocks = Mutex<[UInt64: HeartbeatClock]>([:])
    /// One queue for every clock: the work per tick is a time check per stream and maybe a write.
    private static let queue = DispatchQueue(label: "HTTPServer.heartbeat")

    private let intervalNanoseconds: UInt64
    private let state: Mutex<State>

    private struct State {
        var streams: [ObjectIdentifier: HeartbeatStream] = [:]
        var timer: DispatchSourceTimer?
    }

    private init(intervalNanoseconds: UInt64) {
        self.intervalNanoseconds = intervalNanoseconds
        state = Mutex(State())
    }

    /// Makes `stream` pinged by the clock of its interval (started if none runs).
    static func add(_ stream: HeartbeatStream, intervalNanoseconds: UInt64) {
        clocks.withLock { clocks in
            let clock = clocks[intervalNanoseconds] ?? HeartbeatClock(intervalNanoseconds: intervalNanoseconds)
            clocks[intervalNanoseconds] = clock
            clock.state.withLock { state in
                state.streams[ObjectIdentifier(stream)] = stream
                if state.timer == nil { state.timer = clock.startTimer() }
            }
        }
    }

    /// Stops pinging `stream`; the last stream to leave stops the clock.
    static func remove(_ stream: HeartbeatStream, intervalNanoseconds: UInt64) {
        let timer = clocks.withLock { clocks -> DispatchSourceTimer? in
            guard let clock = clocks[intervalNanoseconds] else { return nil }
            return clock.state.withLock { state -> DispatchSourceTimer? in
                state.streams[ObjectIdentifier(stream)] = nil
                guard state.streams.isEmpty else { return nil }
                clocks[intervalNanoseconds] = nil
                defer { state.timer = nil }
                return state.timer
            }
        }
        timer?.cancel()
    }

    /// Whether `stream` is pinged by a clock.
    static func contains(_ stream: HeartbeatStream, intervalNanoseconds: UInt64) -> Bool {
        clocks.withLock { clocks in
            clocks[intervalNanoseconds]?.state.withLock { $0.streams[ObjectIdentifier(stream)] != nil } ?? false
        }
    }

    /// Whether a clock runs for this interval (for tests: none once its last stream left).
    static func isRunning(intervalNanoseconds: UInt64) -> Bool {
        clocks.withLock { $0[intervalNanoseconds] != nil }
    }

    private func startTimer() -> DispatchSourceTimer {
        let tick = Int(clamping: intervalNanoseconds / 4)
        let timer = DispatchSource.makeTimerSource(queue: Self.queue)
        timer.schedule(deadline: .now() + .nanoseconds(tick), repeating: .nanoseconds(tick), leeway: .nanoseconds(tick / 10))
        // Weak: the timer's handler must not keep a clock alive after its last stream left.
        timer.setEventHandler { [weak self] in self?.tick() }
        timer.resume()
        return timer
    }

    /// Pings the streams silent for an interval, outside the lock (a write takes the stream's).
    private func tick() {
        let now = DispatchTime.now().uptimeNanoseconds
        let streams = state.withLock { Array($0.streams.values) }
        for stream in streams { stream.pingIfSilent(now: now, intervalNanoseconds: intervalNanoseconds) }
    }
}
