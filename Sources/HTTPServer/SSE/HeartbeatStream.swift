import Dispatch
import EventLoop
import Synchronization

/// A stream that sends `: ping` whenever a whole interval passed without a write, so
/// proxies and clients see the connection is alive. The pings come from the shared
/// `HeartbeatClock` of its interval, not a timer of its own.
///
/// The clock holds the stream until it closes; closing takes it off the clock, after which
/// nothing refers to it.
final class HeartbeatStream: ResponseStream, Sendable {
    /// The heartbeat's frame.
    static let ping = ServerSentEvent.comment("ping")

    private let base: any ResponseStream
    /// `DispatchTime` uptime of the last write, ping included.
    private let lastWrite: Atomic<UInt64>
    private let intervalNanoseconds: UInt64

    /// Watches `base`, writing a ping each `interval` in which nothing else was written.
    init(wrapping base: any ResponseStream, interval: Duration) {
        self.base = base
        intervalNanoseconds = UInt64(max(4, Int(clamping: interval.nanoseconds)))
        lastWrite = Atomic(DispatchTime.now().uptimeNanoseconds)
        HeartbeatClock.add(self, intervalNanoseconds: intervalNanoseconds)
        base.onClose { [self] in HeartbeatClock.remove(self, intervalNanoseconds: intervalNanoseconds) }
    }

    /// Whether the clock still pings this stream (false once the stream closed).
    var isHeartbeatActive: Bool {
        HeartbeatClock.contains(self, intervalNanoseconds: intervalNanoseconds)
    }

    /// Writes to the wrapped stream and counts as activity for this interval.
    func write(_ bytes: [UInt8]) {
        lastWrite.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        base.write(bytes)
    }

    /// Writes to the wrapped stream in `batch` and counts as activity for this interval.
    func write(_ bytes: [UInt8], in batch: StreamWriteBatch) {
        lastWrite.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        base.write(bytes, in: batch)
    }

    /// Finishes the wrapped stream (which stops the heartbeat).
    func finish() { base.finish() }

    /// Runs `handler` once when the wrapped stream closes.
    func onClose(_ handler: @escaping @Sendable () -> Void) { base.onClose(handler) }

    /// Whether the wrapped stream has closed.
    var isClosed: Bool { base.isClosed }

    /// The clock's tick: a ping if nothing was written for a whole interval before `now`.
    func pingIfSilent(now: UInt64, intervalNanoseconds: UInt64) {
        // A write since the tick read its clock is later than `now`: no ping (and no wrap-around).
        let last = lastWrite.load(ordering: .relaxed)
        guard now > last, now - last >= intervalNanoseconds else { return }
        lastWrite.store(now, ordering: .relaxed)
        base.write(Self.ping)
    }
}
