import ArgumentParser
import ConformanceKit
import Foundation

/// `ChatConformance --base-url http://127.0.0.1:3000 [--junit out.xml]`: judges a running server
/// by a spec (the embedded api.yaml unless `--spec`), with the same code as the package's
/// conformance suite; exits 1 when a case fails or a documented response is never exercised.
@main
struct ChatConformanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ChatConformance",
        abstract: "Judge a running server by its OpenAPI spec: replay every documented example, run every x-conformance scenario.",
        discussion: """
            Prints the operation × status coverage table and a summary; exits 0 when every case \
            passed and every documented response was exercised, 1 otherwise, 2 when it cannot run. \
            Cases are named example/<operationId>.<example> and scenario/<name>.
            """)

    @Option(help: "The spec to judge by. (default: the api.yaml built into this command)")
    var spec: String?

    @Option(name: .customLong("base-url"), help: "A server to judge (http://HOST:PORT on loopback); repeat for the instances of one cluster.")
    var baseURLs: [String] = []

    @Option(help: "Seconds to wait for a response or an event.")
    var timeout = 2.0

    @Option(help: "Seconds a stream must stay silent for a 'quiet' step.")
    var quiet = 0.3

    @Option(help: "The server's --history-size, for the scenarios that need it (else they are skipped).")
    var historySize: Int?

    @Option(help: "The server's --heartbeat seconds, for the scenarios that need it (else they are skipped).")
    var heartbeat: Double?

    @Option(help: "The server's --presence-grace seconds (shorter than --heartbeat), for the presence scenario (else it is skipped).")
    var presenceGrace: Double?

    @Option(help: "The server's --max-lobbies-per-user, for the lobby cap's cases (else they are skipped); each joins that many lobbies.")
    var maxLobbiesPerUser: Int?

    @Option(help: "How the server identifies users: 'token' (its default; the token cases run) or 'none' (they are skipped).")
    var auth = "token"

    @Option(help: "The server's per-user bursts POSTS:MEMBERSHIP:STREAMS, for the rate-limit scenario (exact only when they barely refill during a run; else it is skipped).")
    var rateBursts: String?

    @Option(help: "Run only the cases whose name contains this text, or matches it as a glob (*, ?, [..]).")
    var filter: String?

    @Option(help: "How many cases run at once.")
    var jobs = 8

    @Option(help: "Write the results as JUnit XML to this file.")
    var junit: String?

    @Flag(help: "A proxy (nginx) stands in front of the server: what only the server itself answers (OPTIONS *) is not judged.")
    var proxied = false

    @Flag(help: "List the selected cases and exit.")
    var list = false

    func validate() throws {
        if !(timeout > 0) { throw ValidationError("--timeout must be positive") }
        if !(quiet > 0) { throw ValidationError("--quiet must be positive") }
        if let maxLobbiesPerUser, maxLobbiesPerUser < 1 { throw ValidationError("--max-lobbies-per-user must be positive") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if !["token", "none"].contains(auth) { throw ValidationError("--auth must be token or none") }
        if let rateBursts, Self.bursts(rateBursts) == nil { throw ValidationError("--rate-bursts must be three counts, POSTS:MEMBERSHIP:STREAMS") }
        if !list, baseURLs.isEmpty { throw ValidationError("give the server to judge with --base-url http://127.0.0.1:PORT") }
    }

    /// `POSTS:MEMBERSHIP:STREAMS` as the built-ins the rate-limit scenario requires.
    static func bursts(_ text: String) -> [String: Int]? {
        let counts = text.split(separator: ":").compactMap { Int($0) }
        guard counts.count == 3 else { return nil }
        return ["postBurst": counts[0], "membershipBurst": counts[1], "streamBurst": counts[2]]
    }

    func run() throws {
        var options = ConformanceOptions(baseURLs: baseURLs)
        options.timeout = timeout
        options.quietPeriod = quiet
        options.historySize = historySize
        options.heartbeat = heartbeat
        options.presenceGrace = presenceGrace
        options.maxLobbiesPerUser = maxLobbiesPerUser
        options.requiresTokens = auth == "token"
        options.bursts = rateBursts.flatMap(Self.bursts) ?? [:]
        options.filter = filter
        options.proxied = proxied
        options.jobs = jobs
        let runner: ConformanceRunner
        let report: ConformanceReport
        do throws(ConformanceRunner.Failure) {
            runner = try ConformanceRunner(specPath: spec, specText: String(decoding: PackageResources.api_yaml, as: UTF8.self), options: options)
            if list {
                print(runner.caseNames.joined(separator: "\n"))
                return
            }
            print("ChatConformance: \(runner.caseNames.count) cases against \(baseURLs.joined(separator: ", "))")
            let onTerminal = isatty(STDOUT_FILENO) == 1
            report = try runner.run { result, done, total in
                guard onTerminal else { return }
                print("[\(done)/\(total)] \(Self.word(result.outcome)) \(result.name)")
            }
        } catch {
            FileHandle.standardError.write(Data("ChatConformance: \(error)\n".utf8))
            throw ExitCode(2)
        }
        print(report.coverageTable)
        print(report.summary)
        if let junit {
            do {
                try Data(report.junitXML().utf8).write(to: URL(fileURLWithPath: junit))
            } catch {
                FileHandle.standardError.write(Data("ChatConformance: cannot write \(junit): \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        if !report.isSuccess { throw ExitCode.failure }
    }

    private static func word(_ outcome: ConformanceReport.Outcome) -> String {
        switch outcome {
        case .passed: "PASS"
        case .failed: "FAIL"
        case .skipped: "SKIP"
        }
    }
}
