import ArgumentParser

/// `ChatBench requests`: throughput and latency of ping, post message, list lobbies.
struct RequestsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "requests", abstract: "Throughput and latency of GET /chat/ping, POST /chat/{room}/message and GET /chat.")

    @OptionGroup var target: TargetOptions
    @OptionGroup var options: RequestsOptions

    func run() throws {
        var session = try BenchSession(target)
        try RequestsCommand.measure(options.plan(target), in: &session)
        try session.finish()
    }

    /// Runs the scenario and adds its rows to the session's report.
    static func measure(_ plan: RequestsScenario.Plan, in session: inout BenchSession) throws {
        BenchSession.progress("requests: \(plan.connections) connections, \(plan.maxRequests.map { "\($0) requests or " } ?? "")\(plan.duration) s per route")
        let scenario = RequestsScenario(address: session.address, server: session.server, plan: plan)
        session.report.requests += try scenario.run(nonce: session.nonce())
    }
}
