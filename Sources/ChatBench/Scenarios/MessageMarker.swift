/// Finds the tool's own messages in event data: the content `cb-<nonce>-<index>-<sent ns>-…`
/// wherever it sits in the JSON (key order and spacing are the server's business).
enum MessageMarker {
    /// `"resync"`, as the `type` of a resync event.
    static let resyncType = Array("\"resync\"".utf8)

    /// The index and send time after `marker` in `data`, or nil when `marker` is not there.
    @inline(__always)
    static func find(_ marker: [UInt8], in data: UnsafeRawBufferPointer) -> (index: Int, sentAt: UInt64)? {
        guard let start = position(of: marker, in: data) else { return nil }
        var position = start + marker.count
        guard let index = number(in: data, at: &position), position < data.count, data[position] == UInt8(ascii: "-") else { return nil }
        position += 1
        guard let sentAt = number(in: data, at: &position) else { return nil }
        return (index, UInt64(sentAt))
    }

    /// True when `needle` occurs in `data`.
    static func contains(_ needle: [UInt8], in data: UnsafeRawBufferPointer) -> Bool {
        position(of: needle, in: data) != nil
    }

    @inline(__always)
    private static func number(in data: UnsafeRawBufferPointer, at position: inout Int) -> Int? {
        let start = position
        var value = 0
        while position < data.count, data[position] >= UInt8(ascii: "0"), data[position] <= UInt8(ascii: "9"), position - start < 19 {
            value = value * 10 + Int(data[position] - UInt8(ascii: "0"))
            position += 1
        }
        return position > start ? value : nil
    }

    @inline(__always)
    private static func position(of needle: [UInt8], in data: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, data.count >= needle.count else { return nil }
        return needle.withUnsafeBufferPointer { needle in
            var index = 0
            let last = data.count - needle.count
            while index <= last {
                if data[index] == first {
                    var matched = 1
                    while matched < needle.count && data[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return index }
                }
                index += 1
            }
            return nil
        }
    }
}
