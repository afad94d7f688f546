import Foundation

/// How the suite runs, from the environment; every value has a default.
///
/// - `CONFORMANCE_BASE_URL`: test that server (loopback only) instead of starting one.
/// - `CHATSERVER_BINARY`: the server to start (default: `ChatServer` next to the test bundle).
/// - `CONFORMANCE_TIMEOUT`: seconds to wait for a response or an event (default 2).
/// - `CONFORMANCE_QUIET`: seconds a stream must stay silent to pass a `quiet` check (default 0.3).
/// - `CONFORMANCE_HISTORY_SIZE`, `CONFORMANCE_HEARTBEAT`: an external server's settings, which
///   scenarios that `require` them need (the suite's own server is started with known ones).
struct Settings: Sendable {
    var baseURL: String?
    var binaryPath: String
    var timeout: Double
    var quietPeriod: Double
    var externalHistorySize: Int?
    var externalHeartbeat: Double?

    /// The settings of this process's environment.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Settings {
        let defaultBinary = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
            .appendingPathComponent("ChatServer").path
        return Settings(
            baseURL: environment["CONFORMANCE_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 },
            binaryPath: environment["CHATSERVER_BINARY"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultBinary,
            timeout: environment["CONFORMANCE_TIMEOUT"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 2,
            quietPeriod: environment["CONFORMANCE_QUIET"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 0.3,
            externalHistorySize: environment["CONFORMANCE_HISTORY_SIZE"].flatMap(Int.init),
            externalHeartbeat: environment["CONFORMANCE_HEARTBEAT"].flatMap(Double.init))
    }
}
