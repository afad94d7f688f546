/// Frames for a `text/event-stream` body (WHATWG HTML, "Server-sent events").
///
/// Each function returns complete bytes, so one encoding can be written to any number of
/// streams.
public enum ServerSentEvent {
    /// `id: …\n` (if id) `event: …\n` (if event) then one `data: …\n` per line of data (split
    /// on \n, \r\n, \r), then `\n`. Line breaks and NUL in `id` and `event` are dropped: they
    /// would end the field early.
    public static func frame(id: String?, event: String? = nil, data: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.utf8.count + 16 + (id?.utf8.count ?? 0) + (event?.utf8.count ?? 0))
        if let id { appendField("id: ", singleLine: id, to: &out) }
        if let event { appendField("event: ", singleLine: event, to: &out) }
        appendLines(of: data, prefix: "data: ", to: &out)
        out.append(lineFeed)
        return out
    }

    /// `frame(id:data:)` for data in bytes, e.g. JSON text: copied as one `data:` line when it
    /// holds no line break (JSON never does: its encoders escape them), split as `frame` splits
    /// it otherwise.
    public static func frame(id: String?, utf8 data: [UInt8]) -> [UInt8] {
        // An array, not any collection: a generic call from another module is not specialized,
        // and then the scan and the copy go element by element through witness tables.
        guard !data.contains(where: { $0 == lineFeed || $0 == carriageReturn }) else {
            return frame(id: id, data: String(decoding: data, as: UTF8.self))
        }
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 16 + (id?.utf8.count ?? 0))
        if let id { appendField("id: ", singleLine: id, to: &out) }
        out += "data: ".utf8
        out += data
        out.append(lineFeed)
        out.append(lineFeed)
        return out
    }

    /// `: text\n\n` (multi-line text → one `: ` line each).
    public static func comment(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 4)
        appendLines(of: text, prefix: ": ", to: &out)
        out.append(lineFeed)
        return out
    }

    /// `retry: N\n\n`: how long a client waits before reconnecting.
    public static func retry(milliseconds: Int) -> [UInt8] {
        Array("retry: \(max(0, milliseconds))\n\n".utf8)
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    private static func appendField(_ name: StaticString, singleLine value: String, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        for byte in value.utf8 where byte != lineFeed && byte != carriageReturn && byte != 0 {
            out.append(byte)
        }
        out.append(lineFeed)
    }

    /// One `prefix` line per line of `text`; CRLF, LF and CR each end a line.
    private static func appendLines(of text: String, prefix: StaticString, to out: inout [UInt8]) {
        let prefixBytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        out.append(contentsOf: prefixBytes)
        var afterCarriageReturn = false
        for byte in text.utf8 {
            if byte == lineFeed, afterCarriageReturn {
                afterCarriageReturn = false
                continue
            }
            afterCarriageReturn = byte == carriageReturn
            if byte == lineFeed || byte == carriageReturn {
                out.append(lineFeed)
                out.append(contentsOf: prefixBytes)
            } else {
                out.append(byte)
            }
        }
        out.append(lineFeed)
    }
}
