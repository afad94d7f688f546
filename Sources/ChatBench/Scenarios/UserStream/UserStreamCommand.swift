import ArgumentParser

/// `ChatBench userstream`: one user stream per user, each user in every lobby; deliveries per
/// second and publish-to-receive latency, every delivery checked.
struct UserStreamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "userstream",
        abstract: "Users each in every lobby, one user stream each (GET /chat/users/{id}/events); deliveries per second, latency, loss, duplicates, per-lobby order.")

    @OptionGroup var target: TargetOptions
    @OptionGroup var options: FanoutOptions

    func run() throws {
        var session = try BenchSession(target)
        let plan = options.plan(target)
        BenchSession.progress("userstream: \(plan.subscribers) users in \(plan.lobbies) lobbies each, \(plan.messagesPerLobby) messages per lobby at \(plan.ratePerLobby.map { "\($0)/s" } ?? "full speed")")
        session.report.fanout.append(try UserStreamScenario(address: session.address, server: session.server, plan: plan).run(nonce: session.nonce()))
        try session.finish()
    }
}
