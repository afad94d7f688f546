import RouteGenCore

/// The spec's `x-conformance` section: how examples are replayed and which scenarios run.
/// docs/conformance.md describes the format.
struct ConformanceSection: Sendable {
    /// The user ids the examples use, by the name their setup gives the user
    /// (`alice: 6f1c2a4e-…`); replay substitutes the real ids.
    var exampleUserIds: [String: String] = [:]
    /// Formats whose example values are illustrative (matched by schema only).
    var illustrativeFormats: Set<String> = []
    /// `Schema.property` names whose example values are illustrative.
    var illustrativeProperties: Set<String> = []
    /// Stricter patterns for formats, from the spec's stated conventions.
    var formatProfiles: [String: String] = [:]
    /// Fixtures by operation id, then example name. Examples without one need no setup.
    var fixtures: [String: [String: ExampleFixture]] = [:]
    var scenarios: [Scenario] = []
    /// Shared responses (`components/responses` names) no case can provoke on demand, with
    /// why: coverage does not require them where an operation refers to them.
    var unprovoked: [String: String] = [:]

    /// The fixture of one example (no setup, complete match, when none is written).
    func fixture(operation: String, example: String) -> ExampleFixture {
        fixtures[operation]?[example] ?? ExampleFixture()
    }
}
