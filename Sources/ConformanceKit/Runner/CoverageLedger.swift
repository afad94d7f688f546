import RouteGenCore
import Synchronization

/// Which documented responses the run exercised (operation × status, from example replays and
/// from scenarios), and how many tests finished, so the end of the run can tell whether every
/// documented response was seen.
final class CoverageLedger: Sendable {
    /// Where an exercised response came from.
    enum Source: Sendable {
        case example
        case scenario
    }

    private struct Counts: Sendable {
        var examples = 0
        var scenarios = 0
    }

    private struct State: Sendable {
        var counts: [String: [Int: Counts]] = [:]
        var finishedUnits = 0
        var skippedUnits = 0
    }

    private let state = Mutex(State())

    /// Notes that `operation` answered `status`.
    func record(operation: String, status: Int, source: Source) {
        state.withLock {
            var counts = $0.counts[operation, default: [:]][status, default: Counts()]
            switch source {
            case .example: counts.examples += 1
            case .scenario: counts.scenarios += 1
            }
            $0.counts[operation, default: [:]][status] = counts
        }
    }

    /// Notes that one example replay or scenario finished (passed or not), or was skipped.
    func finishUnit(skipped: Bool = false) {
        state.withLock { skipped ? ($0.skippedUnits += 1) : ($0.finishedUnits += 1) }
    }

    /// How many example replays and scenarios ran to the end (passed or not).
    var finishedUnits: Int { state.withLock { $0.finishedUnits } }
    /// How many were skipped: the server lacks what they require.
    var skippedUnits: Int { state.withLock { $0.skippedUnits } }

    /// Documented responses nobody exercised, as `operationId status`, leaving out the shared
    /// responses the spec says no case can provoke (`x-conformance.unprovoked`).
    func missing(in spec: ConformanceSpec) -> [String] {
        let counts = state.withLock { $0.counts }
        return spec.document.operations.flatMap { operation in
            operation.responses.compactMap { response in
                guard Self.unprovoked(response, of: operation, in: spec) == nil else { return nil }
                return Self.seen(response, of: operation, in: counts) == nil ? "\(operation.id) \(response.pattern)" : nil
            }
        }
    }

    /// The shared response's name when `x-conformance.unprovoked` exempts it.
    private static func unprovoked(_ response: Response, of operation: Operation, in spec: ConformanceSpec) -> String? {
        guard let name = spec.references.component(operation: operation.id, pattern: response.pattern), spec.section.unprovoked[name] != nil
        else { return nil }
        return name
    }

    /// What exercised `response`: every answered status it is the documented response for
    /// (its code, or one of its range or `default` that nothing more specific documents).
    private static func seen(_ response: Response, of operation: Operation, in counts: [String: [Int: Counts]]) -> Counts? {
        let matching = (counts[operation.id] ?? [:]).filter { operation.response(for: $0.key)?.pattern == response.pattern }
        guard !matching.isEmpty else { return nil }
        return matching.values.reduce(into: Counts()) { total, counts in
            total.examples += counts.examples
            total.scenarios += counts.scenarios
        }
    }

    /// The table printed at the end of a run: one row per documented response, then the
    /// undocumented answers seen.
    func table(for spec: ConformanceSpec) -> String {
        let document = spec.document
        let counts = state.withLock { $0.counts }
        let width = max(9, (document.operations.map(\.id.count).max() ?? 0) + 1)
        func pad(_ text: String, _ size: Int) -> String { text + String(repeating: " ", count: max(0, size - text.count)) }
        var lines = ["Conformance coverage (operation × documented status)", pad("operation", width) + "status  examples  scenarios"]
        for operation in document.operations {
            for response in operation.responses {
                let seen = Self.seen(response, of: operation, in: counts)
                let exempt = Self.unprovoked(response, of: operation, in: spec)
                let mark = seen != nil ? "" : exempt.map { "  (\($0): not provoked on demand)" } ?? "  <- never exercised"
                lines.append(
                    pad(operation.id, width) + pad(response.pattern.description, 8) + pad(String(seen?.examples ?? 0), 10)
                        + String(seen?.scenarios ?? 0) + mark)
            }
        }
        let undocumented = document.operations.flatMap { operation in
            (counts[operation.id] ?? [:]).keys.sorted().filter { operation.response(for: $0) == nil }
                .map { "\(operation.id) \($0)" }
        }
        if !undocumented.isEmpty { lines.append("undocumented answers seen: " + undocumented.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }
}
