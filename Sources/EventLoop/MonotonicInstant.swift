/// A point on a monotonic clock, in nanoseconds since an arbitrary origin.
///
/// The server reads it from Dispatch's uptime clock, so it converts to `DispatchTime`
/// without loss; tests start at zero and move it by hand.
package struct MonotonicInstant: Comparable, Hashable, Sendable {
    /// Nanoseconds since the clock's origin.
    package var nanoseconds: UInt64

    package init(nanoseconds: UInt64) {
        self.nanoseconds = nanoseconds
    }

    package static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The instant `duration` later; negative durations count as zero.
    package static func + (lhs: Self, duration: Duration) -> Self {
        MonotonicInstant(nanoseconds: lhs.nanoseconds &+ duration.nanoseconds)
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to zero and to `UInt64.max`.
    package var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        return whole &+ UInt64(max(attoseconds, 0) / 1_000_000_000)
    }
}
