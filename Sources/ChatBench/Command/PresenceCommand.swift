import ArgumentParser

/// `ChatBench presence`: one big lobby whose members' streams open and close; what presence
/// costs (the `presence` events its streams receive, the changes they carry, the server's CPU).
struct PresenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Presence in one lobby of N streams (presence=true) while some close and reopen: presence events delivered per second, changes carried, server CPU.",
        discussion: "Run the server with --rate-limits off and --max-streams-per-client 0 (one client opens every stream); give --presence-grace as the server's.")

    @OptionGroup var target: TargetOptions

    @Option(help: "Members of the lobby, each with one stream that asks for presence events.")
    var streams = 15_000

    @Option(help: "Streams closed, then reopened after the grace, in each round (the others stay open and are measured).")
    var churn = 1_000

    @Option(help: "Close-and-reopen rounds.")
    var rounds = 3

    @Option(help: "The server's --presence-grace, in seconds: a round waits it out after each close.")
    var presenceGrace = 5.0

    @Option(help: "The server's --presence-interval, in seconds.")
    var presenceInterval = 1.0

    func validate() throws {
        guard streams > 1, churn > 0, churn < streams, rounds > 0, presenceGrace >= 0, presenceInterval > 0 else {
            throw ValidationError("--streams > --churn > 0, --rounds > 0, --presence-grace >= 0, --presence-interval > 0")
        }
    }

    func run() throws {
        var session = try BenchSession(target)
        let plan = PresenceScenario.Plan(
            streams: target.quick ? 200 : streams, churn: target.quick ? 50 : churn, rounds: target.quick ? 1 : rounds,
            grace: presenceGrace, interval: presenceInterval, timeout: target.timeout)
        BenchSession.progress("presence: \(plan.streams) streams in one lobby, \(plan.churn) closed and reopened × \(plan.rounds)")
        let result = try PresenceScenario(address: session.address, server: session.server, plan: plan).run(nonce: session.nonce())
        print(result.text)
        if !result.consistent { throw ExitCode(1) }
    }
}
