import RouteGenCore

/// A multi-step flow from `x-conformance.scenarios`, in the spirit of Smithy's protocol tests.
struct Scenario: Sendable {
    var name: String
    var summary: String?
    /// Built-in variables the scenario needs (`historySize`, `heartbeat`); it is skipped, with a
    /// printed note, against a server whose value is not known.
    var requires: [String]
    var setup: [SetupAction]
    var steps: [ScenarioStep]
    var location: SourceLocation
}
