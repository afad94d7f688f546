/// One run of the judge against one server (or the instances of one cluster): the spec, the
/// server it found or started, the context every unit gets, and the ending that stops the
/// server and judges coverage. The Swift Testing scope (`ConformanceRun`) and the command's
/// `ConformanceRunner` both drive it, so there is one way a run goes.
final class ConformanceSession: Sendable {
    let spec: ConformanceSpec
    let server: ServerUnderTest
    let context: RunContext

    private init(spec: ConformanceSpec, server: ServerUnderTest, context: RunContext) {
        self.spec = spec
        self.server = server
        self.context = context
    }

    /// Finds the external servers of `settings`, or starts the suite's own (blocking).
    static func start(spec: ConformanceSpec, settings: Settings) throws(ServerUnderTest.Failure) -> ConformanceSession {
        let server = try ServerUnderTest.start(settings: settings)
        let context = RunContext(
            spec: spec, client: HTTPClient(baseURLs: server.baseURLs, timeout: settings.timeout), settings: settings,
            builtIns: server.builtIns, ledger: CoverageLedger())
        return ConformanceSession(spec: spec, server: server, context: context)
    }

    /// `Conformance: testing http://127.0.0.1:3000` (and how the servers were started).
    var banner: String {
        let urls = server.baseURLs.map { "\($0)" }.joined(separator: ", ")
        return "Conformance: testing \(urls)\(server.startedWith.map { " (started: \($0))" } ?? "")"
    }

    /// Runs one unit (blocking) and counts it as finished, or as skipped.
    func run(_ unit: ConformanceUnit) -> UnitOutcome {
        let outcome = unit.run(in: context)
        if case .skipped = outcome { context.ledger.finishUnit(skipped: true) } else { context.ledger.finishUnit() }
        return outcome
    }

    /// How the run ended beyond its units.
    struct Conclusion: Sendable {
        /// The operation × status table.
        var table: String
        /// What fails the run as a whole: a server that did not exit 0, responses never exercised.
        var problems: [String]
        /// Set when coverage was not enforced (not every unit ran).
        var note: String?
        /// How long the judge waited out 429 and 503 answers (nil when it never did).
        var backOff: String?
    }

    /// Stops the servers the session started (blocking) and judges coverage, which is enforced
    /// only when every unit of the spec finished.
    func finish() -> Conclusion {
        var conclusion = Conclusion(table: context.ledger.table(for: spec), problems: [], backOff: context.client.backOff.summary.line)
        if let problem = server.stop() { conclusion.problems.append(problem) }
        let units = spec.exchanges.count + spec.section.scenarios.count
        let finished = context.ledger.finishedUnits
        guard finished == units else {
            let skipped = context.ledger.skippedUnits
            let why = skipped > 0 ? "\(skipped) skipped for what the server lacks" : "a filtered run"
            conclusion.note = "coverage not enforced: \(finished) of \(units) example replays and scenarios ran (\(why))"
            return conclusion
        }
        let missing = context.ledger.missing(in: spec)
        if !missing.isEmpty {
            conclusion.problems.append(
                "documented responses never exercised by an example or a scenario: \(missing.joined(separator: ", "))")
        }
        return conclusion
    }
}
