/// How the command judges a server: the settings of docs/conformance.md, as values.
public struct ConformanceOptions: Sendable {
    /// The servers to judge (`http://HOST:PORT` on loopback); each request goes to the next.
    public var baseURLs: [String]
    /// Seconds to wait for a response or an event. Default 2.
    public var timeout: Double = 2
    /// Seconds a stream must stay silent for `quiet`. Default 0.3.
    public var quietPeriod: Double = 0.3
    /// The server's `--history-size`, for the scenarios that require it; nil: unknown (skipped).
    public var historySize: Int?
    /// The server's `--heartbeat` seconds, for the scenarios that require it; nil: unknown.
    public var heartbeat: Double?
    /// The server's `--presence-grace` seconds, for the `presence` scenario; nil: unknown.
    public var presenceGrace: Double?
    /// The server's `--max-lobbies-per-user`, for the lobby cap's example and scenario; nil: unknown.
    public var maxLobbiesPerUser: Int?
    /// Run only the cases whose name (`example/…`, `scenario/…`) contains this text, or matches
    /// it as a glob when it holds `*`, `?` or `[`. Nil: every case.
    public var filter: String?
    /// How many cases run at once. Default 8.
    public var jobs: Int = 8
    /// Whether the server requires tokens (its `--auth token`, the default); with `false`
    /// (`--auth none`) the cases that `require` authentication are skipped.
    public var requiresTokens = true
    /// The server's per-user bursts by name (`postBurst`, `membershipBurst`, `streamBurst`),
    /// for the `rateLimits` scenario; unknown ones skip it.
    public var bursts: [String: Int] = [:]
    /// Whether a proxy stands in front of the servers (`--proxied`); then `OPTIONS *`, which a
    /// proxy answers itself, is not judged.
    public var proxied = false

    /// Options for `baseURLs`, every other value at its default.
    public init(baseURLs: [String]) {
        self.baseURLs = baseURLs
    }

    /// The judge's own settings for these options.
    var settings: Settings {
        Settings(
            baseURLs: baseURLs, databaseURL: nil, instances: 1, binaryPath: "", timeout: timeout, quietPeriod: quietPeriod,
            externalHistorySize: historySize, externalHeartbeat: heartbeat, externalPresenceGrace: presenceGrace,
            externalMaxLobbiesPerUser: maxLobbiesPerUser, requiresTokens: requiresTokens, externalBursts: bursts,
            proxied: proxied, origin: .commandLine)
    }
}
