import RouteGenCore

/// Runs one scenario against the server: setup, then each step in order, stopping at the first
/// step that fails (later steps would only fail in its wake).
final class ScenarioRunner {
    let context: RunContext
    let scenario: Scenario
    let checker: ResponseChecker
    var variables: Variables
    var streams: [String: StreamMonitor] = [:]
    /// The tokens the server issued the scenario's users, from setup and from answers.
    var credentials = CredentialBook()
    /// The data of each event id per lobby, as first received, to check every subscriber gets the same bytes.
    var firstData: [String: (stream: String, data: String)] = [:]
    var failures: [ConformanceFailure] = []
    /// Set by a fatal problem: the scenario stops after the current step.
    var mustStop = false
    /// Set when a step cannot be judged against this server (a credential it never issued):
    /// the scenario stops and is reported skipped, unless something failed before.
    var skipReason: String?

    init(scenario: Scenario, context: RunContext) {
        self.scenario = scenario
        self.context = context
        checker = ResponseChecker(spec: context.spec)
        variables = Variables(context.builtIns)
    }

    /// Runs the scenario (once).
    func run() -> UnitOutcome {
        let missing = scenario.requires.filter { context.builtIns[$0] == nil }
        guard missing.isEmpty else {
            return .skipped("scenario '\(scenario.name)' needs \(missing.joined(separator: ", ")) of the server (\(context.settings.howToSet(missing)))")
        }
        var bindings = SetupRunner.Bindings()
        do throws(SetupRunner.Failure) {
            try SetupRunner(client: context.client, builtIns: context.builtIns).run(scenario.setup, into: &bindings)
        } catch {
            fail(at: scenario.location, "scenario '\(scenario.name)', setup", request: error.request, error.description)
            return .failed(failures)
        }
        for (label, id) in bindings.users { variables[label] = .string(id) }
        credentials = bindings.credentials
        for (label, code) in bindings.rooms { variables[label] = .string(code) }
        defer { for monitor in streams.values { monitor.stream.close() } }
        for (index, step) in scenario.steps.enumerated() {
            perform(step, number: index + 1)
            if mustStop {
                let left = scenario.steps.count - index - 1
                if left > 0, !failures.isEmpty { failures[failures.count - 1].problem += "\n(the scenario stops here; \(left) later step(s) not run)" }
                break
            }
        }
        if failures.isEmpty, let skipReason { return .skipped(skipReason) }
        return failures.isEmpty ? .passed : .failed(failures)
    }

    /// `scenario 'chatFlow', step 4 'bob joins'`.
    func title(of step: ScenarioStep, number: Int) -> String {
        step.title == "step \(number)" ? "scenario '\(scenario.name)', step \(number)" : "scenario '\(scenario.name)', step \(number) '\(step.title)'"
    }

    func fail(at spot: SourceLocation, _ context: String, request: ClientRequest?, _ problem: String, fatal: Bool = true) {
        if fatal { mustStop = true }
        failures.append(ConformanceFailure(location: self.context.location(spot), context: context, request: request?.description, problem: problem))
    }

    private func perform(_ step: ScenarioStep, number: Int) {
        switch step.action {
        case .exchange(let template, let expectation, let captures, let open, let repeatCount):
            var count = 1
            if let repeatCount {
                guard case .integer(let value)? = try? variables.resolve(repeatCount), (0...100_000).contains(value) else {
                    return fail(at: step.location, title(of: step, number: number), request: nil, "repeat \(repeatCount) is not a count from 0 to 100000")
                }
                count = value
            }
            for _ in 0..<count {
                exchange(template, expectation, captures: captures, open: open, step: step, number: number)
                if mustStop { return }
            }
        case .streams(let names, let check):
            for name in names {
                guard let monitor = streams[name] else {
                    return fail(at: step.location, title(of: step, number: number), request: nil, "no open stream named '\(name)' (open: \(streams.keys.sorted()))")
                }
                checkStream(monitor, check, step: step, number: number)
                if mustStop { return }
            }
        }
    }
}
