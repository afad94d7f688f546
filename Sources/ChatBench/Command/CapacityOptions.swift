import ArgumentParser

/// The sizes of the capacity scenario.
struct CapacityOptions: ParsableArguments {
    @Option(help: "Idle streams to open and hold.")
    var streams = 10_000

    @Option(help: "Seconds to hold them before the check message.")
    var hold = 5.0

    @Option(help: "Check messages after the hold, one at a time; each is timed from the post's answer to its arrival on the last stream.")
    var checks = 1

    @Option(help: "Goal to report against: server KiB per stream (not a test).")
    var goalKibPerStream: Double?

    @Option(help: "Goal to report against: median check message, post answer to last stream, ms (not a test).")
    var goalCheckMs: Double?

    func validate() throws {
        guard streams > 0, hold >= 0, checks > 0 else { throw ValidationError("--streams and --checks must be positive and --hold at least 0") }
    }

    /// The plan, with the tiny sizes under `--quick`.
    func plan(_ target: TargetOptions) -> CapacityScenario.Plan {
        .init(streams: target.quick ? 50 : streams, hold: target.quick ? 0.5 : hold, checks: checks, threads: target.threads,
              timeout: target.timeout, goalKiBPerStream: goalKibPerStream, goalCheckMilliseconds: goalCheckMs)
    }
}
