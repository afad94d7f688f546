import RouteGenCore

/// One step of a scenario: an exchange (optionally opening a stream), or an expectation on
/// open streams.
struct ScenarioStep: Sendable {
    /// What is expected of streams in a stream step.
    enum StreamCheck: Sendable {
        /// These events, next and in order.
        case events([EventExpectation])
        /// No event for the quiet period (comments are fine).
        case quiet
        /// The server ends the stream within the timeout, sending no further event.
        case ends
        /// A comment with this text arrives within the timeout, before any event.
        case comment(String)
        /// The client closes the stream (goes away).
        case close
    }

    /// What the step does.
    enum Action: Sendable {
        /// Sends a request `repeat` times (a number or `${variable}`) and checks each answer.
        /// With `open`, a `200 text/event-stream` answer stays open under that name.
        case exchange(RequestTemplate, ResponseExpectation, captures: [Capture], open: String?, repeat: JSON?)
        /// Checks the named open streams, each in turn.
        case streams([String], StreamCheck)
    }

    /// The `step:` text, or `step N`.
    var title: String
    var action: Action
    /// Where the step is written in api.yaml.
    var location: SourceLocation
}
