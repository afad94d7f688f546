/// What went wrong in one step: fatal problems stop the scenario (a wrong status, a missing
/// event: later steps would only fail in their wake); the others (a schema violation, a framing
/// slip, a differing value) are reported and the scenario goes on.
struct StepProblems: Sendable {
    var fatal: [String] = []
    var other: [String] = []

    var isEmpty: Bool { fatal.isEmpty && other.isEmpty }

    /// Fatal problems first, one per line.
    var text: String { (fatal + other).joined(separator: "\n") }
}
