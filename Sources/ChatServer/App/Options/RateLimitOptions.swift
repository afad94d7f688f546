import ArgumentParser

/// `--rate-limits on|off`.
enum RateLimitSwitch: String, ExpressibleByArgument, CaseIterable {
    case on, off
}

/// A `RATE:BURST` flag: requests per second (a decimal) and the bucket size; `0` is off.
struct RateOption: ExpressibleByArgument, Equatable {
    var perSecond: Double
    var burst: Int
    /// Whether the flag was given, so that `--rate-limits off` leaves it on.
    var isExplicit: Bool

    init(_ policy: RateLimitPolicy) {
        perSecond = policy.perSecond
        burst = policy.burst
        isExplicit = false
    }

    init?(argument: String) {
        if argument == "0" {
            (perSecond, burst, isExplicit) = (0, 0, true)
            return
        }
        let parts = argument.split(separator: ":", omittingEmptySubsequences: false)
        // At least one request in 1,000 s: slower, the seconds of Retry-After overflow.
        guard parts.count == 2, let rate = Double(parts[0]), rate == 0 || (rate >= 0.001 && rate.isFinite),
            let burst = Int(parts[1]), (0...1_000_000).contains(burst)
        else { return nil }
        (perSecond, self.burst, isExplicit) = (rate, burst, true)
    }

    var defaultValueDescription: String { "\(RateLimitPolicy.text(ofRate: perSecond)):\(burst)" }

    /// `policy` with this rate, unless every limit is off and this one was not asked for.
    func applied(to policy: RateLimitPolicy, allOff: Bool) -> RateLimitPolicy {
        var policy = policy
        (policy.perSecond, policy.burst) = allOff && !isExplicit ? (0, 0) : (perSecond, burst)
        return policy
    }
}

/// The rate limits (`RateLimitConfiguration`), each defaulting to the documented value there.
struct RateLimitOptions: ParsableArguments {
    private static let defaults = RateLimitConfiguration()

    @Option(help: "'off' turns every rate limit off (the flags below then still turn single ones on).")
    var rateLimits: RateLimitSwitch = .on

    @Option(help: "Posts per user: RATE:BURST, requests per second and how many at once; 0 is off.")
    var ratePosts = RateOption(Self.defaults.posts)

    @Option(help: "Joins and leaves per user (RATE:BURST).")
    var rateMembership = RateOption(Self.defaults.membership)

    @Option(help: "Streams opened per user (RATE:BURST).")
    var rateStreams = RateOption(Self.defaults.streams)

    @Option(help: "Users created per client address (RATE:BURST).")
    var rateSignups = RateOption(Self.defaults.signups)

    @Option(help: "Lobbies created per client address (RATE:BURST).")
    var rateLobbies = RateOption(Self.defaults.lobbies)

    @Option(help: "Requests without a token per client address (RATE:BURST); health and metrics are exempt.")
    var rateAnonymous = RateOption(Self.defaults.anonymous)

    /// The rate limits the flags describe.
    var configuration: RateLimitConfiguration {
        var configuration = RateLimitConfiguration()
        let off = rateLimits == .off
        configuration.posts = ratePosts.applied(to: configuration.posts, allOff: off)
        configuration.membership = rateMembership.applied(to: configuration.membership, allOff: off)
        configuration.streams = rateStreams.applied(to: configuration.streams, allOff: off)
        configuration.signups = rateSignups.applied(to: configuration.signups, allOff: off)
        configuration.lobbies = rateLobbies.applied(to: configuration.lobbies, allOff: off)
        configuration.anonymous = rateAnonymous.applied(to: configuration.anonymous, allOff: off)
        return configuration
    }
}
