@testable import ConformanceKit
import Foundation
import RouteGenCore
import Testing

/// The scope of the server conformance suite: starts (or finds) the server once, hands every
/// test the `RunContext` through a task-local, and when every test is done prints the coverage
/// table, stops the server (which must exit 0) and fails the run if a documented response was
/// never exercised.
struct ConformanceRun: SuiteTrait, TestScoping {
    /// The running suite's context; nil outside the suite's scope.
    @TaskLocal static var context: RunContext?

    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let spec: ConformanceSpec
        switch ConformanceSpec.shared {
        case .success(let loaded): spec = loaded
        case .failure(let failure):
            Issue.record(Comment(rawValue: "the spec cannot drive the suite:\n\(failure)"))
            return
        }
        let settings = Settings.fromEnvironment()
        let started = await BlockingWork.run { () -> Result<ServerUnderTest, ServerUnderTest.Failure> in
            do throws(ServerUnderTest.Failure) {
                return .success(try ServerUnderTest.start(settings: settings))
            } catch {
                return .failure(error)
            }
        }
        let server: ServerUnderTest
        switch started {
        case .success(let value): server = value
        case .failure(let failure):
            Issue.record(Comment(rawValue: "no server to test: \(failure)"))
            return
        }
        let urls = server.baseURLs.map { "\($0)" }.joined(separator: ", ")
        print("Conformance: testing \(urls)\(server.startedWith.map { " (started: \($0))" } ?? "")")
        let context = RunContext(
            spec: spec, client: HTTPClient(baseURLs: server.baseURLs, timeout: settings.timeout), settings: settings,
            builtIns: server.builtIns, ledger: CoverageLedger())
        try await ConformanceRun.$context.withValue(context) { try await function() }
        print(context.ledger.table(for: spec.document))
        if let problem = await BlockingWork.run({ server.stop() }) { Issue.record(Comment(rawValue: problem)) }
        let units = spec.exchanges.count + spec.section.scenarios.count
        let finished = context.ledger.finishedUnits
        guard finished == units else {
            let skipped = context.ledger.skippedUnits
            let why = skipped > 0 ? "\(skipped) skipped for what the server lacks" : "a filtered run"
            print("Conformance: coverage not enforced: \(finished) of \(units) example replays and scenarios ran (\(why))")
            return
        }
        let missing = context.ledger.missing(in: spec.document)
        if !missing.isEmpty {
            Issue.record(
                Comment(rawValue: "documented responses never exercised by an example or a scenario: \(missing.joined(separator: ", "))"))
        }
    }

    /// Runs one unit (example replay or scenario) off the cooperative pool and records its outcome.
    static func record(_ work: @escaping @Sendable (RunContext) -> UnitOutcome) async {
        guard let context else {
            Issue.record("the conformance suite's scope is missing (no server)")
            return
        }
        let outcome = await BlockingWork.run { work(context) }
        if case .skipped = outcome { context.ledger.finishUnit(skipped: true) } else { context.ledger.finishUnit() }
        switch outcome {
        case .passed: break
        case .skipped(let note): print("Conformance: skipped: \(note)")
        case .failed(let failures):
            for failure in failures { Issue.record(Comment(rawValue: failure.description)) }
        }
    }
}
