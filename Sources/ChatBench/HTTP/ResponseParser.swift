/// An incremental HTTP/1.1 response parser: feed it whatever a read returned, it reports the
/// head, the body (de-chunked, as slices of the input: no copy) and the end of each response,
/// one after another on a kept-alive connection. A body with neither `Content-Length` nor
/// chunking (an event stream) runs until the connection closes.
struct ResponseParser {
    /// What `parse` found, in order.
    enum Event {
        case head(ResponseHead)
        /// Body bytes, valid only during the callback.
        case body(UnsafeRawBufferPointer)
        /// The response is complete; the next bytes belong to the next one.
        case end
    }

    private enum State {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    /// The longest head accepted. Default 64 KiB.
    let maxHeadBytes: Int
    private var state = State.head
    private var line: [UInt8] = []
    /// Bytes of the current line other than CR (an empty line ends a head or the trailers).
    private var lineHasContent = false

    /// A parser expecting a response head.
    init(maxHeadBytes: Int = 64 * 1024) {
        self.maxHeadBytes = maxHeadBytes
    }

    /// True while a body runs until the connection closes.
    var isReadingUntilClose: Bool {
        if case .untilClose = state { return true }
        return false
    }

    /// Consumes `input`, reporting what it completes to `emit`.
    mutating func parse(_ input: UnsafeRawBufferPointer, _ emit: (Event) -> Void) throws(ResponseParseError) {
        var position = 0
        let count = input.count
        while position < count {
            switch state {
            case .head:
                // Collect through the empty line that ends the head.
                var ended = false
                let start = position
                while position < count {
                    let byte = input[position]
                    position += 1
                    if byte == UInt8(ascii: "\n") {
                        if !lineHasContent { ended = true; break }
                        lineHasContent = false
                    } else if byte != UInt8(ascii: "\r") {
                        lineHasContent = true
                    }
                }
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<position]))
                if line.count > maxHeadBytes { throw .headTooLarge(maxHeadBytes) }
                guard ended else { return }
                if line.count <= 2 { line.removeAll(keepingCapacity: true); continue }  // stray CRLF between responses
                let head = try ResponseHead(parsing: line)
                line.removeAll(keepingCapacity: true)
                if head.status >= 100 && head.status < 200 && head.status != 101 { continue }  // informational
                emit(.head(head))
                if head.status == 204 || head.status == 304 || head.contentLength == 0 && !head.isChunked {
                    emit(.end)
                } else if head.isChunked {
                    state = .chunkSize
                } else if let length = head.contentLength {
                    state = .fixedBody(remaining: length)
                } else {
                    state = .untilClose
                }
            case .fixedBody(let remaining):
                let take = min(remaining, count - position)
                emit(.body(UnsafeRawBufferPointer(rebasing: input[position..<(position + take)])))
                position += take
                if take == remaining {
                    state = .head
                    emit(.end)
                } else {
                    state = .fixedBody(remaining: remaining - take)
                }
            case .untilClose:
                emit(.body(UnsafeRawBufferPointer(rebasing: input[position...])))
                position = count
            case .chunkSize, .chunkDataEnd, .trailers:
                guard let lineEnd = Self.collectLine(input, from: &position, into: &line) else {
                    if line.count > maxHeadBytes { throw .headTooLarge(maxHeadBytes) }
                    return
                }
                try finishLine(lineEnd, emit)
            case .chunkData(let remaining):
                let take = min(remaining, count - position)
                emit(.body(UnsafeRawBufferPointer(rebasing: input[position..<(position + take)])))
                position += take
                state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            }
        }
    }

    /// Appends bytes up to and including the next LF to `line`; returns the line without its
    /// line ending when complete.
    private static func collectLine(_ input: UnsafeRawBufferPointer, from position: inout Int, into line: inout [UInt8]) -> [UInt8]? {
        let start = position
        while position < input.count {
            let byte = input[position]
            position += 1
            if byte == UInt8(ascii: "\n") {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<(position - 1)]))
                var complete = line
                if complete.last == UInt8(ascii: "\r") { complete.removeLast() }
                line.removeAll(keepingCapacity: true)
                return complete
            }
        }
        line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<position]))
        return nil
    }

    private mutating func finishLine(_ text: [UInt8], _ emit: (Event) -> Void) throws(ResponseParseError) {
        switch state {
        case .chunkSize:
            let digits = text.prefix { $0 != UInt8(ascii: ";") && $0 != UInt8(ascii: " ") }
            guard let size = Int(String(decoding: digits, as: UTF8.self), radix: 16), size >= 0 else {
                throw .badChunkSize(String(decoding: text.prefix(40), as: UTF8.self))
            }
            state = size == 0 ? .trailers : .chunkData(remaining: size)
        case .chunkDataEnd:
            state = .chunkSize
        case .trailers:
            if text.isEmpty {
                state = .head
                emit(.end)
            }
        default:
            break
        }
    }
}
