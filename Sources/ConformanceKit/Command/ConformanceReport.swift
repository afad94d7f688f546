/// What one command run found: every case's result, the coverage table, and the problems of
/// the run as a whole.
public struct ConformanceReport: Sendable {
    /// How one case ended.
    public enum Outcome: Sendable, Equatable {
        /// Every expectation held.
        case passed
        /// The failure messages, as the suite writes them (spec location, request, problem).
        case failed(String)
        /// Not run against this server, and why.
        case skipped(String)

        var isFailure: Bool { if case .failed = self { true } else { false } }
        var isSkipped: Bool { if case .skipped = self { true } else { false } }
    }

    /// One case's result.
    public struct CaseResult: Sendable {
        /// `example/joinLobby.aliceJoins` or `scenario/chatFlow`.
        public var name: String
        /// `examples` or `scenarios`.
        public var suite: String
        /// The JUnit test case name: `joinLobby.aliceJoins (200)` or `chatFlow`.
        public var caseName: String
        /// How it ended.
        public var outcome: Outcome
        /// Wall-clock seconds it took.
        public var seconds: Double
    }

    /// Every case run, in the spec's order.
    public var results: [CaseResult]
    /// The operation × status coverage table.
    public var coverageTable: String
    /// What fails the run beyond its cases (responses never exercised).
    public var problems: [String]
    /// Why coverage was not enforced (a filtered run), if it was not.
    public var coverageNote: String?
    /// Wall-clock seconds of the whole run.
    public var seconds: Double
    /// How long the judge waited out 429 and 503 answers with `Retry-After`.
    public var backOffNote: String? = nil

    /// No case failed and the run has no problem.
    public var isSuccess: Bool { problems.isEmpty && failedCount == 0 }

    var failedCount: Int { results.count(where: \.outcome.isFailure) }
    var skippedCount: Int { results.count(where: \.outcome.isSkipped) }

    /// The failures in full, then one line of counts.
    public var summary: String {
        var lines: [String] = []
        for result in results {
            if case .failed(let text) = result.outcome { lines.append("FAIL \(result.name)\n  " + text.replacingAll("\n", with: "\n  ")) }
        }
        for result in results {
            if case .skipped(let why) = result.outcome { lines.append("SKIP \(result.name): \(why)") }
        }
        for problem in problems { lines.append("FAIL run: \(problem)") }
        if let coverageNote { lines.append("note: \(coverageNote)") }
        if let backOffNote { lines.append("note: \(backOffNote)") }
        let passed = results.count - failedCount - skippedCount
        lines.append(
            "\(isSuccess ? "PASSED" : "FAILED"): \(results.count) cases, \(passed) passed, \(failedCount) failed, \(skippedCount) skipped"
                + (problems.isEmpty ? "" : ", \(problems.count) run problem(s)") + " in " + String(format3(seconds)) + " s")
        return lines.joined(separator: "\n")
    }
}

/// `1.234`: seconds with three decimals, without Foundation's locale-dependent formatting.
func format3(_ seconds: Double) -> String {
    let milliseconds = Int((max(0, seconds) * 1000).rounded())
    let fraction = String(milliseconds % 1000)
    return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}
