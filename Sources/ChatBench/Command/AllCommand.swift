import ArgumentParser

/// `ChatBench all`: every scenario in turn, one report.
struct AllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "requests, fanout (one lobby, then --lobbies if more; --quick: 1 and 2), capacity and codegen, in one report.")

    @OptionGroup var target: TargetOptions
    @OptionGroup var requests: RequestsOptions
    @OptionGroup var fanout: FanoutOptions
    @OptionGroup var capacity: CapacityOptions
    @OptionGroup var codegen: CodegenOptions

    func run() throws {
        var session = try BenchSession(target)
        try RequestsCommand.measure(requests.plan(target), in: &session)
        let spread = target.quick ? max(2, fanout.lobbies) : fanout.lobbies
        for lobbies in spread > 1 ? [1, spread] : [1] {
            try FanoutCommand.measure(fanout.plan(target, lobbies: lobbies), in: &session)
        }
        try CapacityCommand.measure(capacity.plan(target), in: &session)
        BenchSession.progress("codegen: \(codegen.spec)")
        session.report.codegen.append(try codegen.scenario(quick: target.quick).run())
        try session.finish()
    }
}
