@testable import ConformanceKit
import Foundation
import Synchronization

/// The `ChatConformance` binary next to the test bundle, run as a child process, and what it
/// printed and how it ended.
struct CommandProcess {
    var status: Int32
    var output: String
    var errors: String

    /// The built command (`swift test` builds it with the test target, which depends on it).
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent().appendingPathComponent("ChatConformance").path
    }

    /// The package's root, where `scripts/` and `api.yaml` are.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `executable` (the command) with `arguments` to its end, off the cooperative pool.
    static func run(_ arguments: [String], executable: String = binary) async throws -> CommandProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return await BlockingWork.run {
            // Standard error on a thread of its own, so neither pipe can fill while the other is read.
            let errorText = Mutex("")
            let reader = Thread { errorText.withLock { $0 = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) } }
            reader.start()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            while reader.isExecuting || !reader.isFinished { Thread.sleep(forTimeInterval: 0.005) }
            return CommandProcess(status: process.terminationStatus, output: text, errors: errorText.withLock { $0 })
        }
    }

    /// A fresh file path in the temporary directory.
    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("chatconformance-\(UUID().uuidString)-\(name)").path
    }
}
