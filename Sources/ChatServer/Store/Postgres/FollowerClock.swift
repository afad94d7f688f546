import Dispatch

/// The time a follower's retries are measured in, and how it waits: a protocol so tests
/// drive retries with a fake clock.
protocol FollowerClock: Sendable {
    var now: ContinuousClock.Instant { get }
    /// Runs `work` (on any thread) once `instant` has come.
    func schedule(at instant: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void)
}

/// The real clock: `ContinuousClock`, waiting on a dispatch queue.
struct DispatchFollowerClock: FollowerClock {
    let queue: DispatchQueue

    var now: ContinuousClock.Instant { ContinuousClock.now }

    func schedule(at instant: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void) {
        let (seconds, attoseconds) = max(.zero, instant - now).components
        let nanoseconds = Int(clamping: seconds) &* 1_000_000_000 &+ Int(attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds), execute: work)
    }
}
