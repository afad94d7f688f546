/// A report as JUnit XML, the shape Jenkins, GitLab, GitHub Actions reporters and Surefire
/// read: `<testsuites>` holding one `<testsuite>` per kind (`examples`, `scenarios`, and `run`
/// for coverage), each `<testcase>` with `name`, `classname` and `time`, and at most one
/// `<failure message type>` (its text the full report) or `<skipped message>` child. Counts on
/// every suite and on the root; XML 1.0, UTF-8, characters XML cannot hold replaced.
enum JUnitReport {
    /// The document for `report`, stamped `timestamp` (ISO 8601, no zone: local time as JUnit has it).
    static func xml(_ report: ConformanceReport, timestamp: String) -> String {
        var suites: [(name: String, cases: [ConformanceReport.CaseResult])] = []
        for result in report.results {
            if let index = suites.firstIndex(where: { $0.name == result.suite }) {
                suites[index].cases.append(result)
            } else {
                suites.append((result.suite, [result]))
            }
        }
        if report.coverageNote == nil {
            let outcome: ConformanceReport.Outcome = report.problems.isEmpty ? .passed : .failed(report.problems.joined(separator: "\n"))
            suites.append(("run", [ConformanceReport.CaseResult(name: "run/coverage", suite: "run", caseName: "coverage", outcome: outcome, seconds: 0)]))
        }
        let all = suites.flatMap(\.cases)
        var lines = [
            #"<?xml version="1.0" encoding="UTF-8"?>"#,
            "<testsuites name=\"ChatConformance\"\(counts(all)) time=\"\(format3(report.seconds))\">",
        ]
        for (id, suite) in suites.enumerated() {
            let time = format3(suite.cases.reduce(0) { $0 + $1.seconds })
            lines.append(
                "  <testsuite name=\"\(suite.name)\" id=\"\(id)\"\(counts(suite.cases)) time=\"\(time)\" timestamp=\"\(escaped(timestamp))\">")
            for result in suite.cases {
                let opening = "    <testcase name=\"\(escaped(result.caseName))\" classname=\"ChatConformance.\(suite.name)\" time=\"\(format3(result.seconds))\""
                switch result.outcome {
                case .passed:
                    lines.append(opening + "/>")
                case .skipped(let note):
                    lines.append(opening + ">")
                    lines.append("      <skipped message=\"\(escaped(note))\"/>")
                    lines.append("    </testcase>")
                case .failed(let text):
                    let message = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
                    lines.append(opening + ">")
                    lines.append("      <failure message=\"\(escaped(message))\" type=\"conformance\">\(escaped(text))</failure>")
                    lines.append("    </testcase>")
                }
            }
            lines.append("  </testsuite>")
        }
        lines.append("</testsuites>")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func counts(_ cases: [ConformanceReport.CaseResult]) -> String {
        " tests=\"\(cases.count)\" failures=\"\(cases.count(where: \.outcome.isFailure))\" errors=\"0\""
            + " skipped=\"\(cases.count(where: \.outcome.isSkipped))\""
    }

    /// Text for an attribute or element: markup characters as entities, and characters XML 1.0
    /// cannot hold at all (controls other than tab, line feed and carriage return) as U+FFFD.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let allowed = value >= 0x20 && !(0xFFFE...0xFFFF).contains(value)
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
