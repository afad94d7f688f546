import ArgumentParser
import Foundation

/// `ChatBench typing`: the server's CPU per typing request and per typing delivery.
struct TypingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "typing",
        abstract: "POST /chat/{room}/typing at a rate per lobby in many lobbies, without then with streams: server CPU per request and per delivery (needs --server-pid).")

    @OptionGroup var target: TargetOptions
    @OptionGroup var options: TypingOptions

    func run() throws {
        var session = try BenchSession(target)
        let plan = options.plan(target)
        BenchSession.progress("typing: \(plan.lobbies) lobbies at \(plan.ratePerLobby)/s each, \(plan.typersPerLobby) typers and \(plan.streamsPerLobby) streams per lobby, \(plan.duration) s per phase")
        let result = try TypingScenario(address: session.address, server: session.server, plan: plan).run(nonce: session.nonce())
        if target.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(result) + Data("\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(result.table.utf8))
        }
        let phases = [result.withoutStreams, result.withStreams]
        if phases.contains(where: { $0.errors > 0 || $0.deliveries < $0.expectedDeliveries }) { throw ExitCode(1) }
    }
}
