import RouteGenCore

/// What a scenario step expects back, beyond what the spec itself demands of every response.
struct ResponseExpectation: Sendable {
    /// An expectation on one header field.
    enum HeaderRule: Sendable {
        /// Exactly this value (after `${}` resolution).
        case equals(JSON)
        /// A comma-separated list containing each of these tokens (case-insensitive).
        case contains([String])
        /// The field is there (true) or not (false).
        case present(Bool)
    }

    var status: Int
    var headers: [(name: String, rule: HeaderRule)] = []
    /// A JSON fragment: only the keys written are compared; arrays item by item.
    var body: JSON?
    /// The exact text body.
    var text: String?
}

/// One event a stream must deliver next.
struct EventExpectation: Sendable {
    /// The frame's `id:` (resolved, compared as a decimal integer); nil checks only the sequence.
    var id: JSON?
    /// A fragment of the event JSON (`type`, `payload`).
    var data: JSON?
    /// Variables taken from the event: `id`, or `data.<path>`.
    var captures: [Capture] = []
}

/// A value a step keeps for later steps: `name: body.id`, `name: header.Location`,
/// or on an event `name: id` / `name: data.payload.seq`.
struct Capture: Sendable {
    enum Source: Sendable {
        case body(JSONPath)
        case header(String)
        /// The target of the `Link: <…>; rel="next"` field (RFC 8288), to request next.
        case nextLink
        case eventID
        case eventData(JSONPath)
    }

    var name: String
    var source: Source
}
