import RouteGenCore

/// An open event stream under test. Every event it reads is checked: the framing (byte level),
/// `data` as JSON valid against the spec's event schema, and the ids, which rise by one per lobby
/// (a resumed stream starts right after its last event id, or with one `resync` framed with the
/// id it names).
final class StreamMonitor {
    /// One event, as read.
    struct Event {
        /// The seq: the `id:` itself, or on a user stream the cursor's entry for the event's lobby.
        var id: Int?
        /// The `id:` as sent (a user stream's is a cursor).
        var rawID: String?
        /// On a user stream, the lobby the event belongs to (its payload's `room`).
        var room: String?
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
    /// A user stream's cursor it was opened with (`room:seq,…`); its ids rise by one per lobby.
    let resumedCursor: EventCursor?
    private let eventSchema: Schema
    private let validator: SchemaValidator
    /// The id each lobby's next event must have ("" keys a lobby stream's single lobby).
    private var expectedNextID: [String: Int] = [:]
    /// Whether this is a user stream (its ids are cursors).
    private var isUserStream: Bool
    private var eventsSeen = 0

    init(name: String, stream: EventStream, eventSchema: Schema, validator: SchemaValidator) {
        self.name = name
        self.stream = stream
        self.eventSchema = eventSchema
        self.validator = validator
        let request = stream.request
        let query = request.target.split(separator: "?", maxSplits: 1).dropFirst().first ?? ""
        let queryValue = query.split(separator: "&").first { $0.hasPrefix("lastEventId=") }.map { String($0.dropFirst("lastEventId=".count)) }
        let resumeText = request.header("Last-Event-ID") ?? queryValue.map(Self.percentDecoded)
        resumedFrom = resumeText.flatMap { Int($0) }
        resumedCursor = resumeText.flatMap { Int($0) == nil ? EventCursor($0) : nil }
        isUserStream = request.target.hasPrefix("/chat/users/")
        if let resumedFrom { expectedNextID[""] = resumedFrom + 1 }
        for (room, seq) in resumedCursor?.seqs ?? [:] { expectedNextID[room] = seq + 1 }
    }

    /// `text` with `%XX` escapes decoded (a cursor's `:` and `,` may come escaped in a query).
    static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The path the stream follows (`/events/<room>`), which keys "the same event" across streams.
    var lobbyPath: String { String(stream.request.target.split(separator: "?", maxSplits: 1).first ?? "") }

    /// The path of the lobby stream that carries `event` too: on a user stream, its lobby's.
    func lobbyPath(of event: Event) -> String {
        event.room.map { "/events/\($0)" } ?? lobbyPath
    }

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
                let json = try? JSONParser.parse(frame.data)
                var event = Event(id: frame.id.flatMap { Int($0) }, rawID: frame.id, data: frame.data, json: json, line: frame.line)
                if isUserStream, case .string(let room)? = json?["payload"]?["room"] {
                    event.room = room
                    event.id = frame.id.flatMap(EventCursor.init)?.seqs[room]
                }
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
        if isUserStream, let raw = event.rawID {
            guard let room = event.room, EventCursor(raw)?.seqs[room] != nil else {
                problems.append("\(at): the cursor '\(raw.prefix(200))' has no entry for the event's lobby")
                return problems
            }
        }
        let lobby = event.room ?? ""
        guard let id = event.id else {
            // Only an ephemeral event (`typing`, `presence`: no seq, never stored or replayed) is framed
            // without an id; it takes no part in the ids' sequence.
            if case .string(let type)? = json["type"], Self.ephemeralTypes.contains(type) { return problems }
            problems.append("\(at): an event without an 'id:' line (only \(Self.ephemeralTypes.sorted()) events may have none)")
            return problems
        }
        if json["type"] == .string("resync") {
            // A user stream's resync of a lobby comes first among that lobby's events.
            if isUserStream ? expectedNextID[lobby] != (resumedCursor?.seqs[lobby]).map({ $0 + 1 }) : eventsSeen > 0 {
                problems.append("\(at): a resync event after \(eventsSeen) other events (it comes first or not at all)")
            }
            if resumedFrom == nil && resumedCursor == nil { problems.append("\(at): a resync event on a stream opened without a last event id") }
            if let named = json["payload"]?["lastEventId"], named != .integer(id) {
                problems.append("\(at): resync framed with id \(id) but naming lastEventId \(named)")
            }
        } else if let expected = expectedNextID[lobby], id != expected {
            let what = id < expected ? "a repeated or out-of-order event" : "a gap (events \(expected)…\(id - 1) are missing)"
            problems.append("\(at): id \(id) where \(expected) was due: \(what); ids rise by one per lobby")
        }
        expectedNextID[lobby] = id + 1
        return problems
    }
}
