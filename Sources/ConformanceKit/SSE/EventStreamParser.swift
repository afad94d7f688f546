/// Reads `text/event-stream` bytes as they arrive (split anywhere) into items, and records every
/// departure from the API's framing: a `retry:` line first, comments, then frames of at most one
/// `id:` line and one `data:` line ended by a blank line, and never an `event:` line. A frame
/// without `id:` is the framing of an ephemeral event; `StreamMonitor` judges which may have one.
///
/// Lines end with LF, CRLF or CR, as the SSE standard allows; a field's value loses one
/// leading space.
struct EventStreamParser: Sendable {
    /// What the stream carries.
    enum Item: Sendable, Equatable {
        /// `retry: <ms>`.
        case retry(Int)
        /// A comment line's text after `:` and one optional space (`connected`, `ping`).
        case comment(String)
        /// A dispatched event frame.
        case event(EventFrame)
    }

    /// One event frame as an `EventSource` sees it.
    struct EventFrame: Sendable, Equatable {
        /// The `id:` value, if the frame had one.
        var id: String?
        /// The `data:` value (lines joined with LF, as `EventSource` does).
        var data: String
        /// The stream line the frame started on, for messages.
        var line: Int
    }

    /// Every framing problem so far, each naming its stream line.
    private(set) var violations: [String] = []

    private var pending: [UInt8] = []
    private var skipLineFeed = false
    private var lineNumber = 0
    private var inOpeningBlock = true
    private var frameStart: Int?
    private var frameID: String?
    private var frameData: String?
    private var openingHasComment = false

    /// Whether the opening block (up to its blank line) has been read.
    var isPastOpeningBlock: Bool { !inOpeningBlock }

    /// Feeds received bytes; answers the items completed by them.
    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Item] {
        var items: [Item] = []
        for byte in bytes {
            if skipLineFeed {
                skipLineFeed = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                skipLineFeed = byte == UInt8(ascii: "\r")
                let line = pending
                pending = []
                if let item = process(line) { items.append(item) }
            } else {
                pending.append(byte)
                if pending.count > 1_048_576 {
                    violations.append("line \(lineNumber + 1): longer than 1 MiB without a line end")
                    pending = []
                }
            }
        }
        return items
    }

    /// The stream ended: records a line or a frame it cut short (that frame is not dispatched).
    mutating func finish() {
        if !pending.isEmpty {
            violations.append("line \(lineNumber + 1): the stream ended inside a line")
        } else if let start = frameStart {
            violations.append("line \(start): the stream ended inside an event (no blank line after it)")
        }
        pending = []
        resetFrame()
    }

    private mutating func process(_ bytes: [UInt8]) -> Item? {
        lineNumber += 1
        var bytes = bytes[...]
        if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let line = String(validating: bytes, as: UTF8.self) else {
            violations.append("line \(lineNumber): not UTF-8")
            return nil
        }
        if line.isEmpty {
            if lineNumber == 1 { violations.append("line 1: the stream must start with a 'retry:' line, not a blank line") }
            return dispatch()
        }
        if line.hasPrefix(":") {
            if lineNumber == 1 { violations.append("line 1: the stream must start with a 'retry:' line, not a comment") }
            if inOpeningBlock { openingHasComment = true }
            return .comment(Self.value(line.dropFirst()))
        }
        let name: Substring
        let value: String
        if let colon = line.firstIndex(of: ":") {
            name = line[..<colon]
            value = Self.value(line[line.index(after: colon)...])
        } else {
            name = line[...]
            value = ""
        }
        if lineNumber == 1 && name != "retry" {
            violations.append("line 1: the stream must start with a 'retry:' line, got '\(line.prefix(80))'")
        }
        return field(String(name), value, line: line)
    }

    private mutating func field(_ name: String, _ value: String, line: String) -> Item? {
        switch name {
        case "retry":
            if !inOpeningBlock { violations.append("line \(lineNumber): 'retry:' after the opening block") }
            guard !value.isEmpty, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let milliseconds = Int(value) else {
                violations.append("line \(lineNumber): 'retry:' value '\(value.prefix(40))' is not a number of milliseconds")
                return nil
            }
            return .retry(milliseconds)
        case "id":
            startFrame()
            if frameID != nil { violations.append("line \(lineNumber): a second 'id:' line in one event") }
            if frameData != nil { violations.append("line \(lineNumber): 'id:' after 'data:' (the API sends id first)") }
            if value.isEmpty || !(value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) || EventCursor(value) != nil) {
                violations.append("line \(lineNumber): 'id:' value '\(value.prefix(40))' is not a decimal seq (nor a user stream's cursor, room:seq,…)")
            }
            frameID = value
        case "data":
            startFrame()
            if let existing = frameData {
                violations.append("line \(lineNumber): a second 'data:' line in one event (the JSON is always one line)")
                frameData = existing + "\n" + value
            } else {
                frameData = value
            }
        case "event":
            startFrame()
            violations.append(
                "line \(lineNumber): an 'event:' line ('\(line.prefix(60))'); the API sends none, so that onmessage sees every event")
        default:
            violations.append("line \(lineNumber): unknown field '\(name.prefix(40))'")
        }
        return nil
    }

    private mutating func startFrame() {
        if frameStart == nil { frameStart = lineNumber }
        if inOpeningBlock {
            violations.append("line \(lineNumber): event fields in the opening block (no blank line after 'retry:')")
            endOpeningBlock()
        }
    }

    private mutating func endOpeningBlock() {
        guard inOpeningBlock else { return }
        inOpeningBlock = false
        if !openingHasComment {
            violations.append(
                "line \(lineNumber): the opening block ends without a comment line (expected 'retry:', a comment such as ': connected', then a blank line)")
        }
    }

    private mutating func dispatch() -> Item? {
        defer { resetFrame() }
        endOpeningBlock()
        guard let start = frameStart else { return nil }
        guard let data = frameData else {
            violations.append("line \(start): an event without a 'data:' line")
            return nil
        }
        return .event(EventFrame(id: frameID, data: data, line: start))
    }

    private mutating func resetFrame() {
        frameStart = nil
        frameID = nil
        frameData = nil
    }

    /// A field value without its one optional leading space.
    private static func value(_ text: Substring) -> String {
        String(text.hasPrefix(" ") ? text.dropFirst() : text)
    }
}
