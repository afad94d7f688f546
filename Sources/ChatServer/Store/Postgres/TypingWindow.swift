/// Which typing notices a lobby's streams get on this instance, when several instances each
/// throttle only the requests they answer: at most one per user each `interval`, by the
/// database's clock. Every instance reads the same times from the notices, so each drops the
/// same ones, and a request that reached another instance within the interval is not shown.
struct TypingWindow {
    /// The contract's interval (`POST /chat/{room}/typing`: one broadcast per user and lobby each
    /// 2 s), in milliseconds, taken from the throttle that applies it per instance.
    static let interval: Int64 = {
        let policy = RateLimitConfiguration().typing
        return Int64((Double(policy.burst) / policy.perSecond * 1000).rounded())
    }()

    /// How much closer than `interval` two stamps may be and both be shown: the stamp is taken a
    /// round trip after the instance's throttle let the request through, and round trips vary.
    static let tolerance: Int64 = 250

    /// When each user's latest shown notice was stamped (milliseconds since the epoch).
    private var shown: [String: Int64] = [:]

    /// True when `userId`'s notice stamped `millis` is shown, and remembers it. Notices arrive in
    /// commit order, which may differ a little from the stamps' order, so the distance counts
    /// either way.
    mutating func admits(_ userId: String, at millis: Int64) -> Bool {
        if let last = shown[userId], abs(millis - last) < Self.interval - Self.tolerance { return false }
        if shown.count >= 256 { shown = shown.filter { abs(millis - $0.value) < Self.interval } }
        shown[userId] = millis
        return true
    }
}
