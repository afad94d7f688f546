import Dispatch
import Synchronization

/// A stream that sends `: ping` whenever a whole interval passed without a write, so
/// proxies and clients see the connection is alive. The timer ticks four times an interval,
/// so a silence gets its ping within 1.25 intervals of the last write.
///
/// The timer holds the stream until it closes; closing cancels the timer, after which
/// nothing refers to either.
final class HeartbeatStream: ResponseStream, Sendable {
    /// The heartbeat's frame.
    static let ping = ServerSentEvent.comment("ping")

    /// One queue for every heartbeat: the work per tick is a flag test and maybe a write.
    private static let timerQueue = DispatchQueue(label: "HTTPServer.heartbeat")

    private let base: any ResponseStream
    /// `DispatchTime` uptime of the last write, ping included.
    private let lastWrite: Atomic<UInt64>
    private let intervalNanoseconds: UInt64
    private let timer: Mutex<DispatchSourceTimer?>

    /// Watches `base`, writing a ping each `interval` in which nothing else was written.
    init(wrapping base: any ResponseStream, interval: Duration) {
        self.base = base
        let nanoseconds = max(4, Int(clamping: interval.nanoseconds))
        intervalNanoseconds = UInt64(nanoseconds)
        lastWrite = Atomic(DispatchTime.now().uptimeNanoseconds)
        let tick = nanoseconds / 4
        let source = DispatchSource.makeTimerSource(queue: Self.timerQueue)
        source.schedule(deadline: .now() + .nanoseconds(tick), repeating: .nanoseconds(tick), leeway: .nanoseconds(tick / 10))
        timer = Mutex(source)
        timer.withLock { source in
            source?.setEventHandler { [self] in self.tick() }
            source?.resume()
        }
        base.onClose { [self] in cancelTimer() }
    }

    /// Whether the heartbeat timer still runs (false once the stream closed).
    var isHeartbeatActive: Bool {
        timer.withLock { $0 != nil }
    }

    /// Writes to the wrapped stream and counts as activity for this interval.
    func write(_ bytes: [UInt8]) {
        lastWrite.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        base.write(bytes)
    }

    /// Finishes the wrapped stream (which stops the heartbeat).
    func finish() { base.finish() }

    /// Runs `handler` once when the wrapped stream closes.
    func onClose(_ handler: @escaping @Sendable () -> Void) { base.onClose(handler) }

    /// Whether the wrapped stream has closed.
    var isClosed: Bool { base.isClosed }

    private func tick() {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now &- lastWrite.load(ordering: .relaxed) >= intervalNanoseconds else { return }
        lastWrite.store(now, ordering: .relaxed)
        base.write(Self.ping)
    }

    private func cancelTimer() {
        let source = timer.withLock { source in
            defer { source = nil }
            return source
        }
        source?.cancel()
    }
}
