import Foundation

/// The `ChatServer` binary (built next to the test bundle) run as a child process, so a test
/// can kill it with SIGKILL and start it again.
final class ServerProcess: ChatServerClient {
    let process = Process()
    let port: Int

    /// Starts the server with `arguments` (after `--port 0`) and waits for its address.
    init(_ arguments: [String]) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent()
            .appendingPathComponent("ChatServer")
        process.executableURL = binary
        // Rate limits off, as for in-process test servers: the fault tests post as fast as they can.
        process.arguments = ["--host", "127.0.0.1", "--port", "0", "--rate-limits", "off"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line is "ChatServer listening on http://127.0.0.1:PORT".
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw TestConnection.Failure(description: "the server printed '\(text)'")
        }
        self.port = port
    }

    /// Kills the server at once (no shutdown), and waits for it to be gone.
    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        if process.isRunning { kill() }
    }
}
