/// Every rate limit, with its documented default. Per user (the token's, or with
/// `--auth none` the request's `userId`): posts, joins and leaves, streams opened. Per client
/// address: sign-ups, lobby creation, and every request that carries no token.
struct RateLimitConfiguration: Sendable, Equatable {
    /// Default 10/s, bursts of 30.
    var posts = RateLimitPolicy(name: "posts", perSecond: 10, burst: 30)
    /// Joins and leaves. Default 5/s, bursts of 20.
    var membership = RateLimitPolicy(name: "membership", perSecond: 5, burst: 20)
    /// Streams opened. Default 2/s, bursts of 10.
    var streams = RateLimitPolicy(name: "streams", perSecond: 2, burst: 10)
    /// Users created, per address. Default 2/s, bursts of 30.
    var signups = RateLimitPolicy(name: "signups", perSecond: 2, burst: 30)
    /// Lobbies created, per address. Default 2/s, bursts of 30.
    var lobbies = RateLimitPolicy(name: "lobbies", perSecond: 2, burst: 30)
    /// Requests without a token, per address (health and metrics are exempt). Default 50/s,
    /// bursts of 200.
    var anonymous = RateLimitPolicy(name: "anonymous", perSecond: 50, burst: 200)
    /// Typing events broadcast, per user and lobby: one each 2 s. Not a guard against abuse but
    /// part of the contract (`POST /chat/{room}/typing`): over it the request is still answered
    /// 204 and broadcasts nothing, so `off` leaves it on.
    var typing = RateLimitPolicy(name: "typing", perSecond: 0.5, burst: 1)
    /// Clients tracked per policy before idle ones are forgotten. Default 100,000.
    var trackedClients = 100_000

    /// Every limit off.
    static let off: RateLimitConfiguration = {
        var configuration = RateLimitConfiguration()
        for keyPath in [\RateLimitConfiguration.posts, \.membership, \.streams, \.signups, \.lobbies, \.anonymous] {
            configuration[keyPath: keyPath].perSecond = 0
        }
        return configuration
    }()
}
