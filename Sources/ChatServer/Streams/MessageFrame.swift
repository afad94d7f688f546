import APIRuntime
import ChatAPI

/// A message's `message` event encoded before its sender's name and seq are known, so that a
/// store encodes it outside its lock and, under it, only puts those two in: the JSON is split
/// around their values, and `frame(name:seq:)` joins the parts with them (the same bytes as
/// encoding the event with that name and seq, which the tests hold it to).
///
/// The splits are found by their keys: `"name":""` and `"seq":0` each occur once in the
/// encoding, since every `"` inside a string value is escaped (`\"`).
struct MessageFrame {
    private let beforeName: [UInt8]
    private let beforeSeq: [UInt8]
    private let afterSeq: [UInt8]

    /// The frame of `message` (its `name` and `seq` are ignored); nil if it does not encode.
    init?(_ message: Components.Schemas.Message) {
        var template = message
        template.name = ""
        template.seq = 0
        guard let json = try? EncodedEvent<Components.Schemas.ChatEvent>.json(of: .message(template)) else { return nil }
        let bytes = [UInt8](json)
        let nameKey = Array(#""name":"""#.utf8)
        let seqKey = Array(#""seq":0"#.utf8)
        guard let name = Self.firstIndex(of: nameKey, in: bytes), let seq = Self.firstIndex(of: seqKey, in: bytes), name < seq else {
            return nil
        }
        // Each part ends with its key and colon; the value (the name quoted) goes in between.
        beforeName = Array(bytes[..<(name + nameKey.count - 2)])
        beforeSeq = Array(bytes[(name + nameKey.count)..<(seq + seqKey.count - 1)])
        afterSeq = Array(bytes[(seq + seqKey.count)...])
    }

    /// The event's frame with `seq` as its id and its message's seq, sent by `name`.
    func frame(name: String, seq: Int) -> EncodedEvent<Components.Schemas.ChatEvent> {
        let digits = String(seq)
        var json: [UInt8] = []
        json.reserveCapacity(beforeName.count + name.utf8.count + 8 + beforeSeq.count + digits.utf8.count + afterSeq.count)
        json += beforeName
        Self.appendString(name, to: &json)
        json += beforeSeq
        json += digits.utf8
        json += afterSeq
        return EncodedEvent(json: json, id: digits)
    }

    /// `text` as a JSON string, escaped as `JSONEncoder` escapes it (with unescaped slashes):
    /// `"` and `\`, the control characters with a short form by it, the others as `\u00XX`.
    static func appendString(_ text: String, to json: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        json.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): json += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x08: json += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: json += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0x0A: json += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: json += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: json += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20: json += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    private static func firstIndex(of key: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= key.count else { return nil }
        for start in 0...(bytes.count - key.count) where bytes[start] == key[0] {
            if bytes[start..<(start + key.count)].elementsEqual(key) { return start }
        }
        return nil
    }
}
