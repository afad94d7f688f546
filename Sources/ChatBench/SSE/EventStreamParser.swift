/// An incremental Server-Sent-Events parser (the WHATWG event-stream format): feed it the body
/// bytes as they come, split anywhere, and it reports each event, comment and `retry:` line.
/// Lines may end in CRLF, LF or CR; `data:` lines of one event are joined with LF.
struct EventStreamParser {
    /// What `parse` found, in order.
    enum Item {
        /// A complete event: its `id:` parsed as an integer (nil when absent or not a number) and
        /// its data, valid only during the callback.
        case event(id: Int?, data: UnsafeRawBufferPointer)
        /// A comment line (`: text`), without the colon; valid only during the callback.
        case comment(UnsafeRawBufferPointer)
        /// A `retry:` line.
        case retry(Int?)
    }

    private var partialLine: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventId: Int?
    /// The previous chunk ended in CR: a LF starting the next one belongs to it.
    private var skipLineFeed = false

    /// The longest line kept while waiting for its end. Default 1 MiB.
    let maxLineBytes: Int

    /// A parser at the start of a stream.
    init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Why a stream cannot be read.
    struct LineTooLong: Error, CustomStringConvertible {
        let limit: Int
        var description: String { "an event-stream line is longer than \(limit) bytes" }
    }

    /// Consumes `input`, reporting what it completes to `emit`.
    mutating func parse(_ input: UnsafeRawBufferPointer, _ emit: (Item) -> Void) throws(LineTooLong) {
        var position = 0
        let count = input.count
        if skipLineFeed, count > 0 {
            skipLineFeed = false
            if input[0] == UInt8(ascii: "\n") { position = 1 }
        }
        var lineStart = position
        while position < count {
            let byte = input[position]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                position += 1
                continue
            }
            let line = UnsafeRawBufferPointer(rebasing: input[lineStart..<position])
            if partialLine.isEmpty {
                handle(line: line, emit)
            } else {
                partialLine.append(contentsOf: line)
                partialLine.withUnsafeBytes { handle(line: $0, emit) }
                partialLine.removeAll(keepingCapacity: true)
            }
            position += 1
            if byte == UInt8(ascii: "\r") {
                if position < count {
                    if input[position] == UInt8(ascii: "\n") { position += 1 }
                } else {
                    skipLineFeed = true
                }
            }
            lineStart = position
        }
        if lineStart < count {
            partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[lineStart..<count]))
            if partialLine.count > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
        }
    }

    private mutating func handle(line: UnsafeRawBufferPointer, _ emit: (Item) -> Void) {
        guard let first = line.first else {
            if hasData {
                if data.last == UInt8(ascii: "\n") { data.removeLast() }
                data.withUnsafeBytes { emit(.event(id: eventId, data: $0)) }
            }
            data.removeAll(keepingCapacity: true)
            hasData = false
            eventId = nil
            return
        }
        if first == UInt8(ascii: ":") {
            emit(.comment(UnsafeRawBufferPointer(rebasing: line.dropFirst())))
            return
        }
        var nameEnd = 0
        while nameEnd < line.count && line[nameEnd] != UInt8(ascii: ":") { nameEnd += 1 }
        var valueStart = min(nameEnd + 1, line.count)
        if valueStart < line.count && line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])
        if Self.equals(name, "data") {
            data.append(contentsOf: value)
            data.append(UInt8(ascii: "\n"))
            hasData = true
        } else if Self.equals(name, "id") {
            eventId = Self.integer(value)
        } else if Self.equals(name, "retry") {
            emit(.retry(Self.integer(value)))
        }
    }

    @inline(__always)
    private static func equals(_ bytes: UnsafeRawBufferPointer, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        return bytes.elementsEqual(expected)
    }

    /// A non-negative decimal integer, or nil.
    @inline(__always)
    static func integer(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}
