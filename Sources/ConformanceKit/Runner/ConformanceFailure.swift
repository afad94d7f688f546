/// One failed expectation, written so it can be read without the code: where in api.yaml,
/// which scenario and step (or example), the request, what was expected and what came back.
struct ConformanceFailure: Sendable, CustomStringConvertible {
    /// `api.yaml:1901:9`, when the failing thing is written in the spec.
    var location: String?
    /// `scenario 'chatFlow', step 4 'bob joins'` or `example joinLobby.aliceJoins`.
    var context: String
    /// The request, as sent.
    var request: String?
    /// What was expected and what came back.
    var problem: String

    var description: String {
        var text = (location.map { "\($0): " } ?? "") + context
        if let request { text += "\n  request: \(request)" }
        return text + "\n  " + problem.replacingAll("\n", with: "\n  ")
    }
}
