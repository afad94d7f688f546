@testable import ConformanceKit
import Foundation
import Testing

/// The `ChatConformance` command as CI runs it: a child process against a real ChatServer
/// (started here, like the suite's own), and against one that the spec says answers otherwise.
@Suite struct ChatConformanceCommandTests {
    /// A ChatServer of its own, on the memory store with the suite's short limits.
    static func startServer() async throws -> ServerUnderTest {
        let settings = Settings.fromEnvironment([:])
        return try await BlockingWork.run { () -> Result<ServerUnderTest, ServerUnderTest.Failure> in
            do throws(ServerUnderTest.Failure) { return .success(try ServerUnderTest.start(settings: settings)) } catch { return .failure(error) }
        }.get()
    }

    /// `scripts/check-junit`, which checks the JUnit structure with Python's XML parser.
    static func checkJUnit(_ path: String, minTests: Int) async throws -> CommandProcess {
        let script = CommandProcess.packageRoot.appendingPathComponent("scripts/check-junit").path
        return try await CommandProcess.run(["python3", script, path, "--min-tests", String(minTests)], executable: "/usr/bin/env")
    }

    @Test func aConformingServerPassesWithAValidJUnitFile() async throws {
        let server = try await Self.startServer()
        defer { _ = server.stop() }
        let junit = CommandProcess.temporaryPath("pass.xml")
        let run = try await CommandProcess.run([
            "--base-url", "\(server.baseURLs[0])", "--history-size", "5", "--heartbeat", "1", "--presence-grace", "0.5", "--max-lobbies-per-user", "4",
            "--rate-bursts", "1100:30:30",
            "--junit", junit,
        ])
        #expect(run.status == 0, "\(run.output)\n\(run.errors)")
        #expect(run.output.contains("Conformance coverage (operation × documented status)"))
        #expect(!run.output.contains("never exercised"))
        #expect(run.output.contains("PASSED: "))
        #expect(!run.output.contains("[1/"), "no progress lines when standard output is not a terminal")
        let units = ConformanceUnit.all(in: try ConformanceSpec.shared.get()).count
        let check = try await Self.checkJUnit(junit, minTests: units)
        #expect(check.status == 0, "\(check.errors)")
        #expect(check.output.contains("0 failures, 0 errors, 0 skipped"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"<testcase name="chatFlow" classname="ChatConformance.scenarios""#))
        #expect(xml.contains(#"<testcase name="getReadiness.ready (200)" classname="ChatConformance.examples""#))
    }

    @Test func aServerThatAnswersOtherwiseFailsNamingTheCase() async throws {
        let server = try await Self.startServer()
        defer { _ = server.stop() }
        // The same server, judged by a spec whose /healthz says `fine`.
        let spec = try String(contentsOf: CommandProcess.packageRoot.appendingPathComponent("api.yaml"), encoding: .utf8)
        let changed = spec.replacingOccurrences(of: "                const: ok\n", with: "                const: fine\n")
            .replacingOccurrences(of: "                  value: ok\n", with: "                  value: fine\n")
        try #require(changed != spec)
        let specPath = CommandProcess.temporaryPath("api.yaml")
        try changed.write(toFile: specPath, atomically: true, encoding: .utf8)
        let junit = CommandProcess.temporaryPath("fail.xml")
        let run = try await CommandProcess.run(["--spec", specPath, "--base-url", "\(server.baseURLs[0])", "--junit", junit])
        #expect(run.status == 1, "\(run.output)\n\(run.errors)")
        #expect(run.output.contains("FAIL example/getHealth.up"))
        #expect(run.output.contains(#"expected the body "fine", got "ok""#))
        #expect(run.output.contains("FAILED: "))
        let check = try await Self.checkJUnit(junit, minTests: 1)
        #expect(check.status == 0, "\(check.errors)")
        #expect(check.output.contains(" 1 failures,"))
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains(#"<failure message=""#) && xml.contains("getHealth.up (200)"))
    }

    @Test func listShowsTheEmbeddedSpecsCasesAndFilterSelects() async throws {
        let all = try await CommandProcess.run(["--list"])
        #expect(all.status == 0)
        let expected = ConformanceUnit.all(in: try ConformanceSpec.shared.get()).map(\.name)
        #expect(all.output.split(separator: "\n").map(String.init) == expected, "the embedded api.yaml is the package's")
        let some = try await CommandProcess.run(["--list", "--filter", "example/get*.*"])
        #expect(some.output.split(separator: "\n").map(String.init) == expected.filter { $0.hasPrefix("example/get") })
        let none = try await CommandProcess.run(["--list", "--filter", "no-such-case"])
        #expect(none.status == 2)
        #expect(none.errors.contains("selects no case"))
    }

    @Test func aBaseURLOffLoopbackIsRefused() async throws {
        let run = try await CommandProcess.run(["--base-url", "http://example.com:80"])
        #expect(run.status == 2)
        #expect(run.errors.contains("not http://HOST:PORT on a loopback address"))
    }
}
