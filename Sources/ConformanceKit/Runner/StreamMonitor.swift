import RouteGenCore

/// An open event stream under test. Every event it reads is checked: the framing (byte level),
/// `data` as JSON valid against the spec's event schema, and the ids, which rise by one per lobby
/// (a resumed stream starts right after its last event id, or with one `resync` framed with the
/// id it names).
final class StreamMonitor {
    /// One event, as read.
    struct Event {
        var id: Int?
        var data: String
        /// The data as JSON, when it is JSON.
        var json: JSON?
        /// The stream line it started on.
        var line: Int
    }

    /// What a read produced (the opening `retry:` is checked by the parser, not returned).
    enum Read {
        case event(Event)
        case comment(String)
        case ended
        case timedOut
    }

    let name: String
    let stream: EventStream
    /// The Last-Event-ID the stream was opened with (the header, else the `lastEventId` query).
    let resumedFrom: Int?
    private let eventSchema: Schema
    private let validator: SchemaValidator
    private var expectedNextID: Int?
    private var eventsSeen = 0

    init(name: String, stream: EventStream, eventSchema: Schema, validator: SchemaValidator) {
        self.name = name
        self.stream = stream
        self.eventSchema = eventSchema
        self.validator = validator
        let request = stream.request
        let query = request.target.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        let queryValue = query.split(separator: "&").first { $0.hasPrefix("lastEventId=") }.map { String($0.dropFirst("lastEventId=".count)) }
        resumedFrom = (request.header("Last-Event-ID") ?? queryValue).flatMap { Int($0) }
        expectedNextID = resumedFrom.map { $0 + 1 }
    }

    /// The path the stream follows (`/events/<room>`), which keys "the same event" across streams.
    var lobbyPath: String { String(stream.request.target.split(separator: "?", maxSplits: 1).first ?? "") }

    /// The next event or comment before `deadline`; problems with what was read go to `problems`.
    func read(deadline: Deadline, problems: inout [String]) throws(ClientError) -> Read {
        defer { problems += stream.takeNewViolations().map { "framing: \($0)" } }
        for _ in 0..<100_000 {
            switch try stream.next(deadline: deadline) {
            case .ended: return .ended
            case .timedOut: return .timedOut
            case .item(.retry): continue
            case .item(.comment(let text)): return .comment(text)
            case .item(.event(let frame)):
                let event = Event(id: frame.id.flatMap { Int($0) }, data: frame.data, json: try? JSONParser.parse(frame.data), line: frame.line)
                problems += check(event)
                return .event(event)
            }
        }
        return .timedOut
    }

    /// The event types the API frames without an id (api.yaml's `TypingEvent`, `PresenceEvent`).
    static let ephemeralTypes: Set<String> = ["typing", "presence"]

    private func check(_ event: Event) -> [String] {
        var problems: [String] = []
        let at = "event at stream line \(event.line)"
        defer { eventsSeen += 1 }
        guard let json = event.json else {
            do {
                _ = try JSONParser.parse(event.data)
            } catch {
                problems.append("\(at): data is not JSON (\(error)): \(event.data.prefix(200))")
            }
            return problems
        }
        problems += validator.validate(json, against: eventSchema).map { "\(at): schema: \($0)" }
        guard let id = event.id else {
            // Only an ephemeral event (`typing`, `presence`: no seq, never stored or replayed) is framed
            // without an id; it takes no part in the ids' sequence.
            if case .string(let type)? = json["type"], Self.ephemeralTypes.contains(type) { return problems }
            problems.append("\(at): an event without an 'id:' line (only \(Self.ephemeralTypes.sorted()) events may have none)")
            return problems
        }
        if json["type"] == .string("resync") {
            if eventsSeen > 0 { problems.append("\(at): a resync event after \(eventsSeen) other events (it comes first or not at all)") }
            if resumedFrom == nil { problems.append("\(at): a resync event on a stream opened without a last event id") }
            if let named = json["payload"]?["lastEventId"], named != .integer(id) {
                problems.append("\(at): resync framed with id \(id) but naming lastEventId \(named)")
            }
        } else if let expected = expectedNextID, id != expected {
            let what = id < expected ? "a repeated or out-of-order event" : "a gap (events \(expected)…\(id - 1) are missing)"
            problems.append("\(at): id \(id) where \(expected) was due: \(what); ids rise by one per lobby")
        }
        expectedNextID = id + 1
        return problems
    }
}
