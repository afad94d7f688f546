import Foundation
import RouteGenCore

/// The server the suite talks to: the real `ChatServer` binary, started once on port 0 with
/// short limits (on the memory store, or as one or more instances sharing a PostgreSQL schema),
/// or external servers named by `CONFORMANCE_BASE_URL` / `CONFORMANCE_BASE_URLS`.
final class ServerUnderTest: @unchecked Sendable {
    // @unchecked: `processes` are touched only by `launch` and `stop`, which the suite's scope
    // calls once each, one after the other; everything else is immutable.

    /// The arguments the suite's own server gets: short limits make history overflow cheap, and
    /// the lobby cap's scenario quick (4: no other unit has a user in more than 3 lobbies).
    /// Per-address limits are off (every test comes from one address); the per-user bursts
    /// refill once in 100 s, so the `rateLimits` scenario can count them exactly.
    static let ownArguments = [
        "--host", "127.0.0.1", "--port", "0", "--history-size", "5", "--heartbeat", "1",
        "--rate-limits", "off", "--rate-posts", "0.01:1100", "--rate-membership", "0.01:30", "--rate-streams", "0.01:30",
        "--presence-grace", "0.5", "--max-lobbies-per-user", "4",
    ]
    /// What the scenarios may require of the suite's own server.
    static let ownBuiltIns: [String: JSON] = [
        "historySize": .integer(5), "heartbeat": .number(1), "postBurst": .integer(1100), "membershipBurst": .integer(30), "streamBurst": .integer(30),
        "presenceGrace": .number(0.5), "maxLobbiesPerUser": .integer(4),
    ]

    let baseURLs: [BaseURL]
    /// Values scenarios may `require`, known for the suite's own server.
    let builtIns: [String: JSON]
    /// The started servers, with where each one's standard error goes.
    private let processes: [(process: Process, logPath: String)]
    /// How the suite's own servers were started, for the report.
    let startedWith: String?

    private init(baseURLs: [BaseURL], builtIns: [String: JSON], processes: [(process: Process, logPath: String)], startedWith: String?) {
        self.baseURLs = baseURLs
        self.builtIns = builtIns
        self.processes = processes
        self.startedWith = startedWith
    }

    /// Why the server could not be used.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// The external server, or a freshly started one.
    static func start(settings: Settings) throws(Failure) -> ServerUnderTest {
        if !settings.baseURLs.isEmpty {
            var urls: [BaseURL] = []
            for text in settings.baseURLs {
                guard let url = BaseURL(text) else {
                    throw Failure(description: "base URL '\(text)' is not http://HOST:PORT on a loopback address")
                }
                urls.append(url)
            }
            var builtIns: [String: JSON] = [:]
            if let size = settings.externalHistorySize { builtIns["historySize"] = .integer(size) }
            if let heartbeat = settings.externalHeartbeat { builtIns["heartbeat"] = .number(heartbeat) }
            if let grace = settings.externalPresenceGrace { builtIns["presenceGrace"] = .number(grace) }
            if let cap = settings.externalMaxLobbiesPerUser { builtIns["maxLobbiesPerUser"] = .integer(cap) }
            if settings.requiresTokens { builtIns["authentication"] = .bool(true) }
            for (name, burst) in settings.externalBursts { builtIns[name] = .integer(burst) }
            if !settings.proxied { builtIns["directConnection"] = .bool(true) }
            return ServerUnderTest(baseURLs: urls, builtIns: builtIns, processes: [], startedWith: nil)
        }
        var arguments = ownArguments + ["--auth", settings.requiresTokens ? "token" : "none"]
        if let database = settings.databaseURL {
            let schema = "conformance_\(UInt32.random(in: 0...UInt32.max))"
            arguments += ["--database-url", database, "--database-schema", schema]
        } else if settings.instances > 1 {
            throw Failure(description: "CONFORMANCE_INSTANCES > 1 needs CONFORMANCE_DATABASE_URL: instances share a chat only through PostgreSQL")
        }
        var processes: [(process: Process, logPath: String)] = []
        var urls: [BaseURL] = []
        for _ in 0..<settings.instances {
            do throws(Failure) {
                let (process, url, logPath) = try launch(binary: settings.binaryPath, arguments: arguments)
                processes.append((process, logPath))
                urls.append(url)
            } catch {
                for started in processes { started.process.terminate() }
                throw error
            }
        }
        let description = "\(settings.instances) × " + arguments.joined(separator: " ")
        var builtIns = ownBuiltIns
        if settings.requiresTokens { builtIns["authentication"] = .bool(true) }
        builtIns["directConnection"] = .bool(true)
        if settings.instances > 1 {
            // Each instance counts its own buckets, and requests alternate between them.
            for burst in ["postBurst", "membershipBurst", "streamBurst"] { builtIns[burst] = nil }
        }
        return ServerUnderTest(baseURLs: urls, builtIns: builtIns, processes: processes, startedWith: description)
    }

    /// One server started with exactly `arguments` (for a test of the judge against a server
    /// configured otherwise than the suite's own); nothing is known of its settings.
    static func launchPlain(binary: String, arguments: [String]) throws(Failure) -> ServerUnderTest {
        let (process, url, logPath) = try launch(binary: binary, arguments: arguments)
        return ServerUnderTest(baseURLs: [url], builtIns: [:], processes: [(process, logPath)], startedWith: arguments.joined(separator: " "))
    }

    private static func launch(binary: String, arguments: [String]) throws(Failure) -> (Process, BaseURL, String) {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(description: "no ChatServer binary at \(binary) (build it, or set CHATSERVER_BINARY or CONFORMANCE_BASE_URL)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        let logPath = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-chatserver-\(UUID().uuidString).log").path
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: logPath)
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot start \(binary): \(error)")
        }
        let descriptor = output.fileHandleForReading.fileDescriptor
        let line: String
        do throws(Failure) {
            line = try firstLine(of: descriptor, within: 15)
        } catch {
            process.terminate()
            throw error
        }
        let prefix = "ChatServer listening on "
        guard line.hasPrefix(prefix), let url = BaseURL(String(line.dropFirst(prefix.count))) else {
            process.terminate()
            throw Failure(description: "the server's first line is '\(line)', not '\(prefix)http://127.0.0.1:PORT'")
        }
        drain(descriptor)
        return (process, url, logPath)
    }

    /// The first line the server prints, read within `seconds`.
    private static func firstLine(of descriptor: Int32, within seconds: Double) throws(Failure) -> String {
        let deadline = Deadline(after: seconds)
        var bytes: [UInt8] = []
        do {
            try System.setNonBlocking(descriptor)
            for _ in 0..<100_000 {
                if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) { return String(decoding: bytes[..<newline], as: UTF8.self) }
                if let chunk = try System.read(descriptor, capacity: 4096) {
                    if chunk.isEmpty { break }
                    bytes += chunk
                } else if try System.wait(descriptor, milliseconds: deadline.remainingMilliseconds) == .timedOut {
                    throw Failure(description: "the server printed no line within \(seconds) s")
                }
            }
        } catch let error as SystemCallError {
            throw Failure(description: "reading the server's output: \(error)")
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(description: "\(error)")
        }
        throw Failure(description: "the server closed its output without a line (it printed '\(String(decoding: bytes, as: UTF8.self))')")
    }

    /// Keeps reading the server's standard output so it can never block on a full pipe. The pipe
    /// stays open as long as the `Process` that holds it.
    private static func drain(_ descriptor: Int32) {
        let thread = Thread {
            for _ in 0..<10_000_000 {
                do {
                    if let chunk = try System.read(descriptor, capacity: 4096) {
                        if chunk.isEmpty { return }
                    } else {
                        _ = try System.wait(descriptor, milliseconds: 1000)
                    }
                } catch {
                    return
                }
            }
        }
        thread.start()
    }

    /// Sends SIGTERM to the servers the suite started and waits for each to exit; describes what
    /// went wrong (nil when each exited 0, or when the servers are external).
    func stop(within seconds: Double = 10) -> String? {
        let problems = processes.compactMap { Self.stop($0.process, logPath: $0.logPath, within: seconds) }
        return problems.isEmpty ? nil : problems.joined(separator: "\n")
    }

    private static func stop(_ process: Process, logPath: String?, within seconds: Double) -> String? {
        process.terminate()
        let deadline = Deadline(after: seconds)
        while process.isRunning && !deadline.hasPassed { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning {
            System.kill(processID: process.processIdentifier)
            return "the server did not exit within \(seconds) s of SIGTERM (killed); its log: \(logPath ?? "-")"
        }
        if process.terminationReason != .exit || process.terminationStatus != 0 {
            let how = process.terminationReason == .exit ? "exit status \(process.terminationStatus)" : "signal \(process.terminationStatus)"
            return "the server ended with \(how) after SIGTERM, not 0; its log: \(logPath ?? "-")"
        }
        return nil
    }
}
