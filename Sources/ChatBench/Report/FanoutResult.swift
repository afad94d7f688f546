/// One configuration of the fan-out scenario.
struct FanoutResult: Sendable, Codable {
    var lobbies: Int
    var subscribers: Int
    var messagesPerLobby: Int
    /// Posts per second per lobby; nil is "as fast as the server takes them".
    var ratePerLobby: Double?
    /// The tool's event-loop threads.
    var benchThreads: Int
    /// Messages posted (all lobbies), answered 201.
    var posted: Int
    /// Messages received by subscribers, each counted once per subscriber.
    var deliveries: Int
    /// What `deliveries` should be: every subscriber receiving every post of its lobby.
    var expectedDeliveries: Int
    /// `deliveries` over the time from the first post to the last delivery.
    var deliveriesPerSecond: Double
    /// Posts per second over the posting time.
    var postsPerSecond: Double
    /// From the send time inside the message to its arrival at a subscriber.
    var latency: LatencySummary
    /// Deliveries still missing at the end: the stream ended, or the message had not arrived
    /// `--timeout` seconds after the last post.
    var lost: Int
    var duplicates: Int
    var reordered: Int
    /// `resync` events received (the server could not replay from the fence).
    var resyncs: Int
    /// Streams that ended before the run did.
    var streamsEnded: Int
    /// Posts not answered 201.
    var postErrors: Int
    var firstError: String?
    var cpu: CPUUsage
    var goals: [GoalCheck]

    /// True when every subscriber got every message once, in order, and nothing failed.
    var isClean: Bool {
        lost == 0 && duplicates == 0 && reordered == 0 && resyncs == 0 && streamsEnded == 0 && postErrors == 0 && deliveries == expectedDeliveries
    }
}
