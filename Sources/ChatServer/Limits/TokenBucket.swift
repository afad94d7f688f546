/// A rate limit as a token bucket: `burst` requests at once, refilled at `perSecond`. The
/// policy's name is what `RateLimit-Policy` calls it.
struct RateLimitPolicy: Sendable, Equatable {
    var name: String
    /// Requests added back per second; 0 turns the limit off.
    var perSecond: Double
    /// The bucket's size: how many may come at once.
    var burst: Int

    /// Whether the policy limits anything.
    var isEnabled: Bool { perSecond > 0 && burst > 0 }

    /// A rate as people write it: `10`, or `0.5` when it is not whole.
    static func text(ofRate perSecond: Double) -> String {
        perSecond == perSecond.rounded() ? String(Int(perSecond)) : String(perSecond)
    }

    /// The window the draft's `w` names: how long an empty bucket takes to fill, in seconds.
    var window: Int { isEnabled ? max(1, Int((Double(burst) / perSecond).rounded(.up))) : 0 }
}

/// One client's bucket under a policy: events in (a request at a time), decisions out, time
/// passed in, so tests drive it with a fake clock.
struct TokenBucket: Sendable, Equatable {
    private(set) var tokens: Double
    private(set) var updated: Double

    /// A full bucket at `now` (seconds, any monotonic origin).
    init(policy: RateLimitPolicy, now: Double) {
        tokens = Double(policy.burst)
        updated = now
    }

    /// What one request met.
    enum Decision: Sendable, Equatable {
        /// Let through; this many are left.
        case allowed(remaining: Int)
        /// Refused; one is back after this many seconds (rounded up, at least 1).
        case limited(retryAfter: Int)
    }

    /// Takes one token if there is one.
    mutating func take(_ policy: RateLimitPolicy, now: Double) -> Decision {
        refill(policy, now: now)
        guard tokens >= 1 else {
            return .limited(retryAfter: max(1, Int(((1 - tokens) / policy.perSecond).rounded(.up))))
        }
        tokens -= 1
        return .allowed(remaining: Int(tokens))
    }

    /// Whether the bucket has refilled completely by `now` (it then holds no information).
    func isFull(_ policy: RateLimitPolicy, now: Double) -> Bool {
        tokens + (now - updated) * policy.perSecond >= Double(policy.burst)
    }

    private mutating func refill(_ policy: RateLimitPolicy, now: Double) {
        guard now > updated else { return }
        tokens = min(Double(policy.burst), tokens + (now - updated) * policy.perSecond)
        updated = now
    }
}
