import Foundation

/// How the suite runs, from the environment; every value has a default.
///
/// - `CONFORMANCE_BASE_URL`: test that server (loopback only) instead of starting one.
/// - `CONFORMANCE_BASE_URLS`: test the instances of one cluster (comma-separated), sending
///   each request to the next in turn, so streams and the requests they should see cross them.
/// - `CONFORMANCE_DATABASE_URL`: start the suite's own server on the PostgreSQL store there (in
///   a new schema); `CONFORMANCE_INSTANCES` (default 1) starts that many sharing it.
/// - `CHATSERVER_BINARY`: the server to start (default: `ChatServer` next to the test bundle).
/// - `CONFORMANCE_TIMEOUT`: seconds to wait for a response or an event (default 2).
/// - `CONFORMANCE_QUIET`: seconds a stream must stay silent to pass a `quiet` check (default 0.3).
/// - `CONFORMANCE_HISTORY_SIZE`, `CONFORMANCE_HEARTBEAT`, `CONFORMANCE_PRESENCE_GRACE`,
///   `CONFORMANCE_MAX_LOBBIES_PER_USER`: an external server's settings, which
///   scenarios that `require` them need (the suite's own server is started with known ones).
/// - `CONFORMANCE_AUTH`: `token` (default) or `none`, how the server identifies users; the
///   suite's own server is started with that `--auth`, and units that `require`
///   `authentication` run only with `token`.
struct Settings: Sendable {
    /// External servers; empty: start the suite's own.
    var baseURLs: [String]
    var databaseURL: String?
    var instances: Int
    var binaryPath: String
    var timeout: Double
    var quietPeriod: Double
    var externalHistorySize: Int?
    var externalHeartbeat: Double?
    /// An external server's `--presence-grace` (`CONFORMANCE_PRESENCE_GRACE`).
    var externalPresenceGrace: Double? = nil
    /// An external server's `--max-lobbies-per-user` (`CONFORMANCE_MAX_LOBBIES_PER_USER`).
    var externalMaxLobbiesPerUser: Int? = nil
    /// Whether the server requires tokens (`CONFORMANCE_AUTH=token`, the default) or runs
    /// open (`none`); the suite's own server is started that way.
    var requiresTokens: Bool
    /// An external server's per-user bursts (`postBurst`, `membershipBurst`, `streamBurst`),
    /// for the `rateLimits` scenario; only exact when they barely refill during a run.
    var externalBursts: [String: Int] = [:]
    /// Whether a proxy stands between the judge and the servers (`CONFORMANCE_PROXIED=1`,
    /// `--proxied`): then what only the server itself answers (`OPTIONS *`) is not judged.
    var proxied = false

    /// Where these settings came from, so a skip names the option that was not given.
    enum Origin: Sendable {
        /// `swift test`: environment variables.
        case environment
        /// The `ChatConformance` command: its flags.
        case commandLine
    }

    var origin = Origin.environment

    /// How to tell the judge the built-ins `missing` of an external server, in the words of the
    /// way it was run: `CONFORMANCE_HEARTBEAT` for `swift test`, `--heartbeat` for the command.
    func howToSet(_ missing: [String]) -> String {
        let options: [String: (variable: String, flag: String)] = [
            "historySize": ("CONFORMANCE_HISTORY_SIZE", "--history-size N"), "heartbeat": ("CONFORMANCE_HEARTBEAT", "--heartbeat S"),
            "presenceGrace": ("CONFORMANCE_PRESENCE_GRACE", "--presence-grace S"),
            "maxLobbiesPerUser": ("CONFORMANCE_MAX_LOBBIES_PER_USER", "--max-lobbies-per-user N"),
            "authentication": ("CONFORMANCE_AUTH=token", "--auth token"), "postBurst": ("CONFORMANCE_POST_BURST", "--rate-bursts P:M:S"),
            "membershipBurst": ("CONFORMANCE_MEMBERSHIP_BURST", "--rate-bursts P:M:S"), "streamBurst": ("CONFORMANCE_STREAM_BURST", "--rate-bursts P:M:S"),
            "directConnection": ("CONFORMANCE_PROXIED unset (no proxy in front)", "no --proxied (no proxy in front)"),
        ]
        var named: [String] = []
        for name in missing {
            let option = options[name].map { origin == .environment ? $0.variable : $0.flag } ?? name
            if !named.contains(option) { named.append(option) }
        }
        return "not known or not so: " + (origin == .environment ? "set " : "give ") + named.joined(separator: ", ")
    }

    /// The settings of this process's environment.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Settings {
        let defaultBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
            .appendingPathComponent("ChatServer").path
        return Settings(
            baseURLs: (environment["CONFORMANCE_BASE_URLS"] ?? environment["CONFORMANCE_BASE_URL"] ?? "")
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            databaseURL: environment["CONFORMANCE_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            instances: environment["CONFORMANCE_INSTANCES"].flatMap(Int.init).map { max(1, $0) } ?? 1,
            binaryPath: environment["CHATSERVER_BINARY"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBinary,
            timeout: environment["CONFORMANCE_TIMEOUT"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 2,
            quietPeriod: environment["CONFORMANCE_QUIET"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 0.3,
            externalHistorySize: environment["CONFORMANCE_HISTORY_SIZE"].flatMap(Int.init),
            externalHeartbeat: environment["CONFORMANCE_HEARTBEAT"].flatMap(Double.init),
            externalPresenceGrace: environment["CONFORMANCE_PRESENCE_GRACE"].flatMap(Double.init),
            externalMaxLobbiesPerUser: environment["CONFORMANCE_MAX_LOBBIES_PER_USER"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil },
            requiresTokens: environment["CONFORMANCE_AUTH"] != "none",
            externalBursts: [
                "postBurst": environment["CONFORMANCE_POST_BURST"], "membershipBurst": environment["CONFORMANCE_MEMBERSHIP_BURST"],
                "streamBurst": environment["CONFORMANCE_STREAM_BURST"],
            ].compactMapValues { $0.flatMap(Int.init) },
            proxied: ["1", "true", "yes"].contains(environment["CONFORMANCE_PROXIED"]?.lowercased() ?? ""))
    }
}
