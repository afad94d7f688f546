@testable import ConformanceKit
import Foundation
import Testing

/// The rules the judge checks through the scenarios that came with issue 24, each shown live:
/// judged by a spec whose scenario expects what a server breaking the rule would answer, the
/// real (conforming) server fails that scenario, so a server that answered so would fail it too.
/// And the judge as a polite client against a server whose sign-up limit it must wait out.
@Suite struct RuleCheckTests {
    /// A scenario of api.yaml, the text a rule-breaking server's answer stands in for, and its replacement.
    struct Breach: Sendable, CustomTestStringConvertible {
        var scenario: String
        var step: String
        var from: String
        var to: String
        var testDescription: String { "\(scenario): \(step)" }
    }

    static let breaches = [
        Breach(scenario: "pagedLists", step: "the first page of two members", from: "present: true", to: "present: false"),
        Breach(scenario: "memberCount", step: "", from: "memberCount: 101", to: "memberCount: 100"),
        Breach(scenario: "charsetOtherThanUTF8", step: "ISO-8859-1", from: "status: 415", to: "status: 201"),
        Breach(scenario: "strictParameters", step: "a limit with a leading zero", from: "status: 400", to: "status: 200"),
        Breach(scenario: "strictParameters", step: "a limit given twice", from: "status: 400", to: "status: 200"),
        Breach(scenario: "orderOfChecks", step: "too large, without a token, to no lobby", from: "status: 413", to: "status: 401"),
        Breach(scenario: "orderOfChecks", step: "alice's token for bob, to no lobby", from: "status: 403", to: "status: 404"),
        Breach(scenario: "asteriskOptions", step: "OPTIONS *", from: "status: 204", to: "status: 400"),
        Breach(scenario: "absoluteFormTargets", step: "an absolute-form target", from: "status: 200", to: "status: 404"),
    ]

    /// api.yaml with `breach` applied: the first `from` after the step's title (or the
    /// scenario's start) within the scenario becomes `to`.
    static func spec(with breach: Breach) throws -> String {
        let spec = try String(contentsOf: CommandProcess.packageRoot.appendingPathComponent("api.yaml"), encoding: .utf8)
        let start = try #require(spec.range(of: "    - name: \(breach.scenario)\n"))
        let end = spec.range(of: "\n    - name: ", range: start.upperBound..<spec.endIndex)?.lowerBound ?? spec.endIndex
        let stepStart = breach.step.isEmpty ? start.upperBound : try #require(spec.range(of: "- step: \(breach.step)\n", range: start.upperBound..<end)).upperBound
        let spot = try #require(spec.range(of: breach.from, range: stepStart..<end))
        return spec.replacingCharacters(in: spot, with: breach.to)
    }

    @Test(arguments: breaches)
    func aServerBreakingTheRuleFailsTheScenario(_ breach: Breach) async throws {
        let server = try await ChatConformanceCommandTests.startServer()
        defer { _ = server.stop() }
        let specPath = CommandProcess.temporaryPath("api.yaml")
        try Self.spec(with: breach).write(toFile: specPath, atomically: true, encoding: .utf8)
        let run = try await CommandProcess.run(["--spec", specPath, "--base-url", "\(server.baseURLs[0])", "--filter", "scenario/\(breach.scenario)"])
        #expect(run.status == 1, "\(run.output)\n\(run.errors)")
        #expect(run.output.contains("FAIL scenario/\(breach.scenario)"), "\(run.output)")
        if !breach.step.isEmpty { #expect(run.output.contains("'\(breach.step)'"), "\(run.output)") }
    }

    @Test func theUnchangedScenariosPass() async throws {
        let server = try await ChatConformanceCommandTests.startServer()
        defer { _ = server.stop() }
        let names = Set(Self.breaches.map(\.scenario)).sorted()
        for name in names {
            let run = try await CommandProcess.run(["--base-url", "\(server.baseURLs[0])", "--filter", "scenario/\(name)"])
            #expect(run.status == 0, "\(name): \(run.output)\n\(run.errors)")
        }
    }

    @Test func theJudgeWaitsOutASignUpLimitAndSaysHowLong() async throws {
        let binary = URL(fileURLWithPath: CommandProcess.binary).deletingLastPathComponent().appendingPathComponent("ChatServer").path
        // The server's default limits, with sign-ups down to a burst of 1 at 1 a second.
        let server = try await BlockingWork.run { () -> Result<ServerUnderTest, ServerUnderTest.Failure> in
            do throws(ServerUnderTest.Failure) {
                return .success(try ServerUnderTest.launchPlain(binary: binary, arguments: ["--port", "0", "--rate-signups", "1:1"]))
            } catch { return .failure(error) }
        }.get()
        defer { _ = server.stop() }
        let run = try await CommandProcess.run(["--base-url", "\(server.baseURLs[0])", "--filter", "example/listUsers.*"])
        #expect(run.status == 0, "\(run.output)\n\(run.errors)")
        #expect(run.output.contains("note: waited "), "\(run.output)")
        #expect(!run.output.contains("waited 0 s"), "a setup of two users, one more than the burst, must wait: \(run.output)")
    }
}
