@testable import ConformanceKit
import Testing

/// The command's own parts: case filters, the JUnit document, the summary.
@Suite struct CommandReportTests {
    @Test(arguments: [
        ("chatFlow", "scenario/chatFlow", true),
        ("example/join", "example/joinLobby.aliceJoins", true),
        ("scenario/*Streams", "scenario/leaveEndsStreams", true),
        ("scenario/*Streams", "scenario/leaveEndsStreamsToo", false),
        ("example/get?obby.*", "example/getLobby.general", true),
        ("example/[jl]*", "example/leaveLobby.x", true),
        ("example/[jl]*", "example/ping.pong", false),
        ("*", "anything", true),
    ])
    func filtersMatchSubstringsOrGlobs(filter: String, name: String, matches: Bool) {
        #expect(CaseFilter(text: filter).matches(name) == matches)
    }

    static func makeReport(_ outcomes: [ConformanceReport.Outcome], problems: [String] = []) -> ConformanceReport {
        let results = outcomes.enumerated().map { index, outcome in
            ConformanceReport.CaseResult(name: "example/op.e\(index)", suite: "examples", caseName: "op.e\(index) (200)", outcome: outcome, seconds: 0.0125)
        }
        return ConformanceReport(results: results, coverageTable: "", problems: problems, coverageNote: nil, seconds: 1.5)
    }

    @Test func junitCountsEveryOutcomeAndEscapesWhatXMLCannotHold() {
        let report = Self.makeReport([.passed, .failed("api.yaml:1:2: example <a & b>\n  got \"x\"\u{1}"), .skipped("needs 'historySize'")])
        let xml = JUnitReport.xml(report, timestamp: "2026-12-02T10:00:00")
        #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        #expect(xml.contains(#"<testsuites name="ChatConformance" tests="4" failures="1" errors="0" skipped="1" time="1.500">"#))
        #expect(xml.contains(#"<testsuite name="examples" id="0" tests="3" failures="1" errors="0" skipped="1" time="0.038""#))
        #expect(xml.contains(#"<testcase name="op.e0 (200)" classname="ChatConformance.examples" time="0.013"/>"#))
        #expect(xml.contains(#"<failure message="api.yaml:1:2: example &lt;a &amp; b&gt;" type="conformance">"#))
        #expect(xml.contains("got &quot;x&quot;\u{FFFD}</failure>"))
        #expect(xml.contains(#"<skipped message="needs &apos;historySize&apos;"/>"#))
        #expect(xml.contains(#"<testcase name="coverage" classname="ChatConformance.run" time="0.000"/>"#))
    }

    @Test func runProblemsFailTheCoverageCaseAndTheSummary() {
        let report = Self.makeReport([.passed], problems: ["documented responses never exercised: ping 200"])
        #expect(!report.isSuccess)
        #expect(report.summary.contains("FAIL run: documented responses never exercised: ping 200"))
        #expect(report.summary.hasSuffix("FAILED: 1 cases, 1 passed, 0 failed, 0 skipped, 1 run problem(s) in 1.500 s"))
        let xml = JUnitReport.xml(report, timestamp: "t")
        #expect(xml.contains(#"<testsuite name="run" id="1" tests="1" failures="1""#))
    }
}
