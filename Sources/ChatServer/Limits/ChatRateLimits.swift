/// The server's rate limiters, one per policy of `RateLimitConfiguration`.
struct ChatRateLimits: Sendable {
    let posts: RateLimiter
    let membership: RateLimiter
    let streams: RateLimiter
    let signups: RateLimiter
    let lobbies: RateLimiter
    let anonymous: RateLimiter
    /// Keyed by lobby and user: which typing requests are broadcast.
    let typing: RateLimiter

    init(_ configuration: RateLimitConfiguration, clock: @escaping @Sendable () -> Double = RateLimiter.monotonicSeconds) {
        func limiter(_ policy: RateLimitPolicy) -> RateLimiter {
            RateLimiter(policy: policy, capacity: configuration.trackedClients, clock: clock)
        }
        posts = limiter(configuration.posts)
        membership = limiter(configuration.membership)
        streams = limiter(configuration.streams)
        signups = limiter(configuration.signups)
        lobbies = limiter(configuration.lobbies)
        anonymous = limiter(configuration.anonymous)
        typing = limiter(configuration.typing)
    }
}
