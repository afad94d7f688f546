import Foundation
import RouteGenCore

/// The server the suite talks to: the real `ChatServer` binary, started once on port 0 with
/// short limits, or an external server named by `CONFORMANCE_BASE_URL`.
final class ServerUnderTest: @unchecked Sendable {
    // @unchecked: `process` is touched only by `launch` and `stop`, which the suite's scope calls
    // once each, one after the other; everything else is immutable.

    /// The arguments the suite's own server gets: short limits make history overflow cheap.
    static let ownArguments = ["--host", "127.0.0.1", "--port", "0", "--history-size", "5", "--heartbeat", "1"]

    let baseURL: BaseURL
    /// Values scenarios may `require`, known for the suite's own server.
    let builtIns: [String: JSON]
    private let process: Process?
    /// Where the started server's standard error goes.
    let logPath: String?

    private init(baseURL: BaseURL, builtIns: [String: JSON], process: Process?, logPath: String?) {
        self.baseURL = baseURL
        self.builtIns = builtIns
        self.process = process
        self.logPath = logPath
    }

    /// Why the server could not be used.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// The external server, or a freshly started one.
    static func start(settings: Settings) throws(Failure) -> ServerUnderTest {
        if let text = settings.baseURL {
            guard let url = BaseURL(text) else {
                throw Failure(description: "CONFORMANCE_BASE_URL '\(text)' is not http://HOST:PORT on a loopback address")
            }
            var builtIns: [String: JSON] = [:]
            if let size = settings.externalHistorySize { builtIns["historySize"] = .integer(size) }
            if let heartbeat = settings.externalHeartbeat { builtIns["heartbeat"] = .number(heartbeat) }
            return ServerUnderTest(baseURL: url, builtIns: builtIns, process: nil, logPath: nil)
        }
        return try launch(binary: settings.binaryPath)
    }

    private static func launch(binary: String) throws(Failure) -> ServerUnderTest {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(description: "no ChatServer binary at \(binary) (build it, or set CHATSERVER_BINARY or CONFORMANCE_BASE_URL)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ownArguments
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
        return ServerUnderTest(
            baseURL: url, builtIns: ["historySize": .integer(5), "heartbeat": .number(1)], process: process, logPath: logPath)
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

    /// Sends SIGTERM to the server the suite started and waits for it to exit; describes what
    /// went wrong (nil when it exited 0, or when the server is external).
    func stop(within seconds: Double = 10) -> String? {
        guard let process else { return nil }
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
