/// A point in time a blocking operation must not wait past.
struct Deadline: Sendable {
    private let instant: ContinuousClock.Instant

    /// The deadline `seconds` from now.
    init(after seconds: Double) {
        instant = ContinuousClock.now.advanced(by: .milliseconds(Int((seconds * 1000).rounded())))
    }

    /// Milliseconds left, at least 0 (rounded up, so a wait never ends early).
    var remainingMilliseconds: Int {
        let left = ContinuousClock.now.duration(to: instant)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int(seconds) * 1000 + Int((attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// Whether the deadline is past.
    var hasPassed: Bool { ContinuousClock.now >= instant }
}
