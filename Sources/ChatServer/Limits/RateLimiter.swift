import Foundation
import Synchronization

/// The buckets of one policy, by client key (a user id, an address), behind one lock. The
/// table is bounded: past `capacity` keys, buckets that have refilled (idle clients) are
/// dropped, and if that frees too little, the oldest half goes, so a flood of new keys costs
/// a bounded amount of memory and at worst forgives some clients early.
final class RateLimiter: Sendable {
    let policy: RateLimitPolicy
    private let capacity: Int
    private let clock: @Sendable () -> Double
    private let buckets = Mutex([String: TokenBucket]())

    init(policy: RateLimitPolicy, capacity: Int = 100_000, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        self.policy = policy
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// Takes one request of `key` out of its bucket; a disabled policy allows everything.
    func take(_ key: String) -> TokenBucket.Decision {
        guard policy.isEnabled else { return .allowed(remaining: Int.max) }
        let now = clock()
        return buckets.withLock { buckets in
            if buckets[key] == nil, buckets.count >= capacity { Self.evict(&buckets, policy, now: now, capacity: capacity) }
            var bucket = buckets[key] ?? TokenBucket(policy: policy, now: now)
            let decision = bucket.take(policy, now: now)
            buckets[key] = bucket
            return decision
        }
    }

    /// Throws `rateLimited` when `key` is past the policy.
    func check(_ key: String) throws(ChatError) {
        if case .limited(let retryAfter) = take(key) { throw .rateLimited(policy: policy, retryAfter: retryAfter) }
    }

    /// How many clients have a bucket now.
    var trackedKeys: Int { buckets.withLock { $0.count } }

    private static func evict(_ buckets: inout [String: TokenBucket], _ policy: RateLimitPolicy, now: Double, capacity: Int) {
        buckets = buckets.filter { !$0.value.isFull(policy, now: now) }
        guard buckets.count >= capacity else { return }
        let oldest = buckets.sorted { $0.value.updated < $1.value.updated }.prefix(buckets.count / 2 + 1).map(\.key)
        for key in oldest { buckets[key] = nil }
    }

    /// Seconds on a clock that never jumps.
    @Sendable static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
