@testable import ConformanceKit
import Foundation
import RouteGenCore
import Testing

/// The scope of the server conformance suite: starts (or finds) the server once through a
/// `ConformanceSession` (the same one the ChatConformance command drives), hands it to every
/// test through a task-local, and when every test is done prints the coverage table, stops the
/// server (which must exit 0) and fails the run if a documented response was never exercised.
struct ConformanceRun: SuiteTrait, TestScoping {
    /// The running suite's session; nil outside the suite's scope.
    @TaskLocal static var session: ConformanceSession?

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
        let started = await BlockingWork.run { () -> Result<ConformanceSession, ServerUnderTest.Failure> in
            do throws(ServerUnderTest.Failure) {
                return .success(try ConformanceSession.start(spec: spec, settings: settings))
            } catch {
                return .failure(error)
            }
        }
        let session: ConformanceSession
        switch started {
        case .success(let value): session = value
        case .failure(let failure):
            Issue.record(Comment(rawValue: "no server to test: \(failure)"))
            return
        }
        print(session.banner)
        try await ConformanceRun.$session.withValue(session) { try await function() }
        let conclusion = await BlockingWork.run { session.finish() }
        print(conclusion.table)
        if let note = conclusion.note { print("Conformance: \(note)") }
        if let backOff = conclusion.backOff { print("Conformance: \(backOff)") }
        for problem in conclusion.problems { Issue.record(Comment(rawValue: problem)) }
    }

    /// Runs one unit (example replay or scenario) off the cooperative pool and records its outcome.
    static func record(_ unit: ConformanceUnit) async {
        guard let session else {
            Issue.record("the conformance suite's scope is missing (no server)")
            return
        }
        let outcome = await BlockingWork.run { session.run(unit) }
        switch outcome {
        case .passed: break
        case .skipped(let note): print("Conformance: skipped: \(note)")
        case .failed(let failures):
            for failure in failures { Issue.record(Comment(rawValue: failure.description)) }
        }
    }
}
