import ArgumentParser
import EventLoop
import Foundation

/// What one invocation sets up before its scenarios (descriptor limit, `SIGPIPE`, the target
/// and the server to watch), the report they fill, and how it is printed.
struct BenchSession {
    /// The server under test.
    let address: LoopbackAddress
    /// The server's process, when `--server-pid` was given.
    let server: ServerProbe?
    /// What the scenarios measured so far.
    var report: BenchReport
    private let json: Bool
    private let runId = Self.randomCode()
    private var runs = 0

    /// Raises the open-file limit to its hard limit, ignores `SIGPIPE`, checks the target and
    /// the server's process.
    init(_ target: TargetOptions) throws {
        System.ignoreBrokenPipeSignal()
        let limit = try System.raiseOpenFileLimit()
        address = try LoopbackAddress(baseURL: target.baseURL)
        server = target.serverPid.map { ServerProbe(pid: $0) }
        _ = try server?.cpuSeconds()
        json = target.json
        report = BenchReport(target: address.description, threads: target.threads)
        Self.progress("ChatBench → \(address), \(target.threads) loop thread(s), open-file limit \(limit)" + (target.serverPid.map { ", server pid \($0)" } ?? ""))
    }

    /// A code unique to this scenario run, for its room names and message markers.
    mutating func nonce() -> String {
        runs += 1
        return "\(runId)\(runs)"
    }

    /// Writes a progress line to standard error (the report goes to standard output).
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data(("ChatBench: " + line + "\n").utf8))
    }

    /// Prints the report (tables, or JSON with `--json`); exits 1 when something failed.
    func finish() throws {
        try Self.print(report, json: json)
    }

    /// Prints `report`; exits 1 when something failed.
    static func print(_ report: BenchReport, json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(ReportTable.render(report).utf8))
        }
        if !report.failures.isEmpty { throw ExitCode(1) }
    }

    private static func randomCode() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<6).map { _ in letters.randomElement()! })
    }
}
