import ArgumentParser

/// `ChatBench capacity`: idle streams held; server memory and descriptors per stream.
struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "capacity", abstract: "Idle streams opened and held; server memory and descriptors per stream (with --server-pid).")

    @OptionGroup var target: TargetOptions
    @OptionGroup var options: CapacityOptions

    func run() throws {
        var session = try BenchSession(target)
        try CapacityCommand.measure(options.plan(target), in: &session)
        try session.finish()
    }

    /// Runs the scenario and adds its row to the session's report.
    static func measure(_ plan: CapacityScenario.Plan, in session: inout BenchSession) throws {
        BenchSession.progress("capacity: \(plan.streams) streams held \(plan.hold) s")
        let scenario = CapacityScenario(address: session.address, server: session.server, plan: plan)
        session.report.capacity.append(try scenario.run(nonce: session.nonce()))
    }
}
