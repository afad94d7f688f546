import APIRuntime
import ChatAPI

/// A new message's `message` event and its 201 answer, made without encoding it: the store
/// makes the frame outside its lock and, under it, only puts the sender's name and the seq in.
///
/// Once per process, a template message (every string empty, seq 0) is encoded as the event
/// (`EncodedEvent.json(of:)`, the encoder every frame goes through) and cut at each field's
/// value; a message's JSON is those cuts with its values put between them, strings escaped as
/// `JSONEncoder` escapes them. So key order, spelling and the event's wrapping all come from
/// the encoder, and the bytes are the same as encoding the whole event (the tests hold it to
/// that for quotes, backslashes, control characters, U+2028, emoji, and a content that
/// contains `"seq":0`). The message's own JSON, the event's `payload`, is the 201's body.
struct MessageFrame {
    private let beforeName: [UInt8]
    private let beforeSeq: [UInt8]
    private let afterSeq: [UInt8]

    /// The payload JSON of `message` (its `name` and `seq` left out); nil when the template did
    /// not split, or for an edited or deleted message (the template has neither field).
    init?(_ message: Components.Schemas.Message) {
        guard message.editedAt == nil, message.deleted == nil, let template = Self.template else { return nil }
        var parts: [[UInt8]] = []
        var current = template.payload[0]
        current.reserveCapacity(template.payload.reduce(message.content.utf8.count + 128) { $0 + $1.count })
        for (index, field) in template.fields.enumerated() {
            switch field {
            case .name, .seq:
                parts.append(current)
                current = []
            case .content: Self.appendString(message.content, to: &current)
            case .id: Self.appendString(message.id, to: &current)
            case .room: Self.appendString(message.room, to: &current)
            case .sentAt: Self.appendString(message.sentAt, to: &current)
            case .userId: Self.appendString(message.userId, to: &current)
            }
            current += template.payload[index + 1]
        }
        parts.append(current)
        (beforeName, beforeSeq, afterSeq) = (parts[0], parts[1], parts[2])
    }

    /// The event's frame with `seq` as its id and its message's seq, sent by `name`, and the
    /// message's JSON as the 201 answers it.
    func frame(name: String, seq: Int) -> (event: EncodedEvent<Components.Schemas.ChatEvent>, message: EncodedJSON<Components.Schemas.Message>) {
        let template = Self.template!  // an instance exists only with a template
        let digits = String(seq)
        var payload: [UInt8] = []
        payload.reserveCapacity(beforeName.count + name.utf8.count + 8 + beforeSeq.count + digits.utf8.count + afterSeq.count)
        payload += beforeName
        Self.appendString(name, to: &payload)
        payload += beforeSeq
        payload += digits.utf8
        payload += afterSeq
        var event: [UInt8] = []
        event.reserveCapacity(template.eventPrefix.count + payload.count + template.eventSuffix.count)
        event += template.eventPrefix
        event += payload
        event += template.eventSuffix
        return (EncodedEvent(json: event, id: digits), EncodedJSON(preEncoded: payload))
    }

    /// `text` as a JSON string, escaped as `JSONEncoder` escapes it (with unescaped slashes):
    /// `"` and `\`, the control characters with a short form by it, the others as `\u00XX`.
    static func appendString(_ text: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied at once.
            var start = 0
            for index in utf8.indices where utf8[index] < 0x20 || utf8[index] == UInt8(ascii: "\"") || utf8[index] == UInt8(ascii: "\\") {
                json.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscaped(utf8[index], to: &json)
                start = index + 1
            }
            json.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        json.append(UInt8(ascii: "\""))
    }

    /// One byte that JSON must escape: `"`, `\`, or a control character.
    private static func appendEscaped(_ byte: UInt8, to json: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        switch byte {
        case 0x08: json += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
        case 0x0C: json += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
        case 0x0A: json += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case 0x0D: json += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case 0x09: json += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0..<0x20: json += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
        default: json += [UInt8(ascii: "\\"), byte]
        }
    }

    // MARK: The template

    /// The fields a new message's JSON carries, each cut out of the template.
    enum Field: CaseIterable {
        case content, id, name, room, sentAt, seq, userId

        /// The field's key and its template value, as they are encoded.
        var encodedKey: [UInt8] {
            switch self {
            case .content: Array(#""content":"""#.utf8)
            case .id: Array(#""id":"""#.utf8)
            case .name: Array(#""name":"""#.utf8)
            case .room: Array(#""room":"""#.utf8)
            case .sentAt: Array(#""sentAt":"""#.utf8)
            case .seq: Array(#""seq":0"#.utf8)
            case .userId: Array(#""userId":"""#.utf8)
            }
        }

        /// How many bytes of `encodedKey` are the template's value (`""`, `0`).
        var valueCount: Int { self == .seq ? 1 : 2 }
    }

    /// The template event cut up: the event's JSON before and after its payload, and the
    /// payload's JSON between the fields' values, in the order of `fields`.
    struct Template {
        let eventPrefix: [UInt8]
        let eventSuffix: [UInt8]
        let payload: [[UInt8]]
        let fields: [Field]

        /// Nil when the encoding is not as expected (a key not found exactly once, the name after
        /// the seq, a payload that is not the message encoded alone); posts then encode instead.
        init?() {
            let message = Components.Schemas.Message(id: "", seq: 0, room: "", userId: "", name: "", content: "", sentAt: "")
            guard let json = try? EncodedEvent<Components.Schemas.ChatEvent>.json(of: .message(message)),
                  let alone = try? EncodedJSON(message) else { return nil }
            let bytes = [UInt8](json)
            var found: [(field: Field, at: Int)] = []
            for field in Field.allCases {
                let key = field.encodedKey
                let starts = MessageFrame.starts(of: key, in: bytes)
                guard starts.count == 1 else { return nil }
                found.append((field, starts[0] + key.count - field.valueCount))
            }
            found.sort { $0.at < $1.at }
            guard let name = found.firstIndex(where: { $0.field == .name }), let seq = found.firstIndex(where: { $0.field == .seq }),
                  name < seq, let payload = MessageFrame.enclosingObject(of: found[0].at, in: bytes),
                  found.allSatisfy({ payload.contains($0.at) }), Array(bytes[payload]) == alone.bytes else { return nil }
            var cuts: [[UInt8]] = []
            var start = payload.lowerBound
            for (field, at) in found {
                cuts.append(Array(bytes[start..<at]))
                start = at + field.valueCount
            }
            cuts.append(Array(bytes[start..<payload.upperBound]))
            eventPrefix = Array(bytes[..<payload.lowerBound])
            eventSuffix = Array(bytes[payload.upperBound...])
            self.payload = cuts
            fields = found.map(\.field)
        }
    }

    static let template = Template()

    /// Where `key` starts in `bytes`.
    static func starts(of key: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard bytes.count >= key.count else { return [] }
        return (0...(bytes.count - key.count)).filter { start in
            bytes[start] == key[0] && bytes[start..<(start + key.count)].elementsEqual(key)
        }
    }

    /// The range of the innermost JSON object around `position` (strings skipped).
    static func enclosingObject(of position: Int, in bytes: [UInt8]) -> Range<Int>? {
        var open: [Int] = []
        var inString = false
        var escaped = false
        var innermost: Int?
        for (index, byte) in bytes.enumerated() {
            if index == position { innermost = open.last }
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): open.append(index)
            case UInt8(ascii: "}"):
                guard let start = open.popLast() else { return nil }
                if let innermost, start == innermost { return start..<(index + 1) }
            default: break
            }
        }
        return nil
    }
}
