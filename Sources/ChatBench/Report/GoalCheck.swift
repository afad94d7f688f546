/// A goal the report is held against (not a test: a missed goal does not fail the run).
struct GoalCheck: Sendable, Codable {
    /// What is measured, e.g. `deliveries/s`.
    var name: String
    /// The target, e.g. `>= 200000`.
    var target: String
    /// The figure, formatted.
    var measured: String
    var met: Bool
}
