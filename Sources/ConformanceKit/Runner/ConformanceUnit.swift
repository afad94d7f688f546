/// One thing the judge runs and reports on its own: a documented exchange replayed, or a
/// scenario. The Swift Testing suite makes each a test case; the command, a JUnit test case.
enum ConformanceUnit: Sendable {
    case exchange(ExampleExchange)
    case scenario(Scenario)

    /// Every unit of `spec`: the exchanges in document order, then the scenarios.
    static func all(in spec: ConformanceSpec) -> [ConformanceUnit] {
        spec.exchanges.map(ConformanceUnit.exchange) + spec.section.scenarios.map(ConformanceUnit.scenario)
    }

    /// `examples` or `scenarios`: the JUnit suite it belongs to.
    var suite: String {
        switch self {
        case .exchange: "examples"
        case .scenario: "scenarios"
        }
    }

    /// `example/joinLobby.aliceJoins` or `scenario/chatFlow`: what `--filter` matches and
    /// `--list` prints.
    var name: String {
        switch self {
        case .exchange(let exchange): "example/\(exchange.id)"
        case .scenario(let scenario): "scenario/\(scenario.name)"
        }
    }

    /// The JUnit test case's name: `joinLobby.aliceJoins (200)` or `chatFlow`.
    var caseName: String {
        switch self {
        case .exchange(let exchange): "\(exchange.id) (\(exchange.response.status))"
        case .scenario(let scenario): scenario.name
        }
    }

    /// Runs the unit once against the server of `context` (blocking).
    func run(in context: RunContext) -> UnitOutcome {
        switch self {
        case .exchange(let exchange): ExampleReplayer(exchange: exchange, context: context).run()
        case .scenario(let scenario): ScenarioRunner(scenario: scenario, context: context).run()
        }
    }
}
