import ArgumentParser

/// The sizes of the typing scenario.
struct TypingOptions: ParsableArguments {
    @Option(help: "Lobbies typed in.")
    var lobbies = 100

    @Option(help: "Typing events per second in each lobby.")
    var ratePerLobby = 10.0

    @Option(help: "Members per lobby who take turns typing (each at most once per 2 s, the server's broadcast limit).")
    var typersPerLobby = 24

    @Option(help: "Members per lobby who hold a stream in the second phase.")
    var streamsPerLobby = 10

    @Option(help: "Seconds of load per phase.")
    var duration = 5.0

    @Option(help: "Keep-alive connections the typing requests go over.")
    var connections = 16

    func validate() throws {
        guard lobbies > 0, ratePerLobby > 0, typersPerLobby > 0, streamsPerLobby > 0, duration > 0, connections > 0 else {
            throw ValidationError("every size must be positive")
        }
        // A typer broadcasts at most once per 2 s: with fewer turns, some requests send nothing.
        guard Double(typersPerLobby) / ratePerLobby >= 2.05 else {
            throw ValidationError("--typers-per-lobby must be at least 2.05 × --rate-per-lobby, so each typer waits 2 s between turns")
        }
    }

    /// The plan, with tiny sizes under `--quick`.
    func plan(_ target: TargetOptions) -> TypingScenario.Plan {
        if target.quick {
            return .init(lobbies: 2, ratePerLobby: 2, typersPerLobby: 5, streamsPerLobby: 2, duration: 2, connections: 2, timeout: target.timeout)
        }
        return .init(
            lobbies: lobbies, ratePerLobby: ratePerLobby, typersPerLobby: typersPerLobby, streamsPerLobby: streamsPerLobby,
            duration: duration, connections: connections, timeout: target.timeout)
    }
}
