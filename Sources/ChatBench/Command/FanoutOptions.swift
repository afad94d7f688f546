import ArgumentParser

/// The sizes of the fan-out scenario.
struct FanoutOptions: ParsableArguments {
    @Option(help: "Subscribers (one user and one stream each).")
    var subscribers = 1000

    @Option(help: "Lobbies the subscribers are spread over (round robin), each with its own poster.")
    var lobbies = 1

    @Option(help: "Messages posted to each lobby.")
    var messages = 1000

    @Option(help: "Posts per second per lobby; 0 posts as fast as the server takes them.")
    var rate = 0.0

    @Option(help: "At full speed: messages per lobby posted but not yet received by all its subscribers.")
    var window = 10

    @Option(help: "Connections posting to each lobby.")
    var publishers = 2

    @Option(help: "Characters in each message (send time and index included).")
    var messageBytes = 100

    @Option(help: "Seconds after which posting stops, whatever the count.")
    var maxPostingTime = 60.0

    @Option(help: "Open the streams on this server instead (another instance sharing the chat, e.g. through PostgreSQL); posts still go to --base-url.")
    var streamsBaseURL: String?

    @Option(help: "Goal to report against: deliveries per second (not a test).")
    var goalDeliveriesPerSecond: Double?

    @Option(help: "Goal to report against: publish-to-receive p99 in milliseconds (not a test).")
    var goalP99Ms: Double?

    func validate() throws {
        guard subscribers > 0, lobbies > 0, messages > 0, rate >= 0, window > 0, publishers > 0, maxPostingTime > 0 else {
            throw ValidationError("--subscribers, --lobbies, --messages, --window, --publishers and --max-posting-time must be positive; --rate at least 0")
        }
        guard (48...4000).contains(messageBytes) else { throw ValidationError("--message-bytes must be 48 to 4000") }
        if let streamsBaseURL {
            do { _ = try LoopbackAddress(baseURL: streamsBaseURL) } catch { throw ValidationError("--streams-base-url: \(error.description)") }
        }
    }

    /// The plan for `lobbies` lobbies, with the tiny sizes under `--quick`.
    func plan(_ target: TargetOptions, lobbies: Int? = nil) -> FanoutScenario.Plan {
        FanoutScenario.Plan(
            subscribers: target.quick ? 20 : subscribers,
            lobbies: lobbies ?? self.lobbies,
            messagesPerLobby: target.quick ? 20 : messages,
            ratePerLobby: rate > 0 ? rate : nil,
            window: window,
            publishersPerLobby: publishers,
            messageBytes: messageBytes,
            threads: target.threads,
            timeout: target.timeout,
            maxPostingSeconds: maxPostingTime,
            streamsAddress: streamsBaseURL.flatMap { try? LoopbackAddress(baseURL: $0) },
            goalDeliveriesPerSecond: goalDeliveriesPerSecond,
            goalP99Milliseconds: goalP99Ms)
    }
}
