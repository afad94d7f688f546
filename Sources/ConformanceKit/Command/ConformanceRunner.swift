import Foundation
import Synchronization

/// The judge as a command runs it: loads a spec, selects its cases, runs them against external
/// servers a few at a time through a `ConformanceSession` (as the Swift Testing suite does) and
/// returns a `ConformanceReport`.
public struct ConformanceRunner: Sendable {
    let spec: ConformanceSpec
    let options: ConformanceOptions
    let units: [ConformanceUnit]

    /// Why the command cannot run.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The spec or its `x-conformance` section has errors (`api.yaml:L:C: error: …`).
        case spec(String)
        /// A base URL is not loopback `http://HOST:PORT`, or none was given.
        case server(String)
        /// `--filter` selects no case.
        case noCase(filter: String)

        /// What went wrong, for the command's standard error.
        public var description: String {
            switch self {
            case .spec(let messages): "the spec cannot drive the judge:\n\(messages)"
            case .server(let message): message
            case .noCase(let filter): "--filter '\(filter)' selects no case (see --list)"
            }
        }
    }

    /// A runner over the spec at `specPath`, or over `specText` (an embedded spec) named
    /// `specName` in diagnostics.
    public init(specPath: String?, specText: String, specName: String = "api.yaml", options: ConformanceOptions) throws(Failure) {
        let loaded = specPath.map { ConformanceSpec.load(path: $0) } ?? ConformanceSpec.load(text: specText, path: specName)
        switch loaded {
        case .success(let spec): self.spec = spec
        case .failure(let failure): throw .spec(failure.description)
        }
        self.options = options
        let filter = options.filter.map(CaseFilter.init)
        units = ConformanceUnit.all(in: spec).filter { filter?.matches($0.name) ?? true }
        if units.isEmpty, let text = options.filter { throw .noCase(filter: text) }
    }

    /// The selected cases' names, in the order they run.
    public var caseNames: [String] { units.map(\.name) }

    /// Runs every selected case (blocking); `progress` hears of each as it ends, from the
    /// thread that ran it, one at a time.
    public func run(progress: @escaping @Sendable (ConformanceReport.CaseResult, _ done: Int, _ total: Int) -> Void = { _, _, _ in }) throws(Failure)
        -> ConformanceReport
    {
        guard !options.baseURLs.isEmpty else { throw .server("give the server to judge with --base-url http://127.0.0.1:PORT") }
        let session: ConformanceSession
        do throws(ServerUnderTest.Failure) {
            session = try ConformanceSession.start(spec: spec, settings: options.settings)
        } catch {
            throw .server(error.description)
        }
        let started = ContinuousClock.now
        let results = Mutex([ConformanceReport.CaseResult?](repeating: nil, count: units.count))
        let next = Atomic(0)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(options.jobs, units.count)) {
            group.enter()
            let thread = Thread { [units] in
                while case let index = next.add(1, ordering: .relaxed).oldValue, index < units.count {
                    let unit = units[index]
                    let begun = ContinuousClock.now
                    let outcome = session.run(unit)
                    let result = ConformanceReport.CaseResult(
                        name: unit.name, suite: unit.suite, caseName: unit.caseName, outcome: Self.outcome(outcome),
                        seconds: Self.seconds(since: begun))
                    results.withLock { all in
                        all[index] = result
                        progress(result, all.count { $0 != nil }, units.count)
                    }
                }
                group.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        let conclusion = session.finish()
        return ConformanceReport(
            results: results.withLock { $0.compactMap { $0 } }, coverageTable: conclusion.table, problems: conclusion.problems,
            coverageNote: conclusion.note, seconds: Self.seconds(since: started), backOffNote: conclusion.backOff)
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = start.duration(to: .now).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    private static func outcome(_ outcome: UnitOutcome) -> ConformanceReport.Outcome {
        switch outcome {
        case .passed: .passed
        case .skipped(let note): .skipped(note)
        case .failed(let failures): .failed(failures.map(\.description).joined(separator: "\n"))
        }
    }
}

extension ConformanceReport {
    /// The report as JUnit XML (see `JUnitReport`), stamped with the time it is written.
    public func junitXML(timestamp: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        return JUnitReport.xml(self, timestamp: formatter.string(from: timestamp))
    }
}
