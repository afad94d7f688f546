/// The frames of bytes written to an event stream, as `EncodedEvent`s make them: an optional
/// `id: <seq>` line, one `data:` line (JSON has no raw line feed), a blank line.
struct SSEFrames: Sequence, IteratorProtocol {
    /// One frame: its seq (nil when it has no id) and the range of everything after the id line.
    struct Frame {
        var seq: Int?
        var data: Range<Int>
        /// A `resync` (sorted keys put `type` last).
        var isResync: Bool
        /// A `closed`: the lobby was deleted.
        var isClosing: Bool
    }

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    private static let idPrefix = Array("id: ".utf8)
    private static let resyncEnd = Array("\"type\":\"resync\"}".utf8)
    private static let closedEnd = Array("\"type\":\"closed\"}".utf8)
    private static let lineFeed = UInt8(ascii: "\n")

    mutating func next() -> Frame? {
        guard index < bytes.count else { return nil }
        var seq: Int?
        if bytes[index...].starts(with: Self.idPrefix) {
            var value = 0
            var cursor = index + Self.idPrefix.count
            while cursor < bytes.count, bytes[cursor] != Self.lineFeed {
                value = value &* 10 &+ Int(bytes[cursor] &- UInt8(ascii: "0"))
                cursor += 1
            }
            seq = value
            index = cursor + 1
        }
        let start = index
        // The data line, then the blank line that ends the frame.
        let lineEnd = bytes[start...].firstIndex(of: Self.lineFeed) ?? bytes.count
        let end = Swift.min(bytes.count, lineEnd + 2)
        index = end
        let line = bytes[start..<lineEnd]
        return Frame(
            seq: seq, data: start..<end, isResync: line.suffix(Self.resyncEnd.count).elementsEqual(Self.resyncEnd),
            isClosing: line.suffix(Self.closedEnd.count).elementsEqual(Self.closedEnd))
    }
}
