import ArgumentParser

/// `ChatBench fanout`: deliveries per second and publish-to-receive latency, every delivery checked.
struct FanoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fanout", abstract: "Subscribers in lobbies, messages posted; deliveries per second, latency, loss, duplicates, order.")

    @OptionGroup var target: TargetOptions
    @OptionGroup var options: FanoutOptions

    func run() throws {
        var session = try BenchSession(target)
        try FanoutCommand.measure(options.plan(target), in: &session)
        try session.finish()
    }

    /// Runs the scenario and adds its row to the session's report.
    static func measure(_ plan: FanoutScenario.Plan, in session: inout BenchSession) throws {
        BenchSession.progress("fanout: \(plan.subscribers) subscribers in \(plan.lobbies) \(plan.lobbies == 1 ? "lobby" : "lobbies"), \(plan.messagesPerLobby) messages per lobby at \(plan.ratePerLobby.map { "\($0)/s" } ?? "full speed")")
        let scenario = FanoutScenario(address: session.address, server: session.server, plan: plan)
        session.report.fanout.append(try scenario.run(nonce: session.nonce()))
    }
}
