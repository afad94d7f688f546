/// Decodes a `Transfer-Encoding: chunked` body incrementally, from bytes split anywhere.
struct ChunkedDecoder: Sendable {
    private enum State: Sendable {
        /// Reading a size line (hex digits, optional `;extensions`, CRLF).
        case size
        /// `remaining` bytes of chunk data to pass on.
        case data(remaining: Int)
        /// The CRLF after a chunk's data.
        case dataEnd
        /// Trailer lines after the last chunk, up to an empty line.
        case trailers
        case done
    }

    private var state = State.size
    private var line: [UInt8] = []

    /// Whether the final chunk and trailers arrived.
    var isComplete: Bool {
        if case .done = state { true } else { false }
    }

    /// Feeds received bytes; answers the body bytes they carry. Bytes after the end are ignored.
    mutating func feed(_ bytes: ArraySlice<UInt8>) throws(ClientError) -> [UInt8] {
        var body: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch state {
            case .data(let remaining):
                let end = min(bytes.endIndex, index + remaining)
                body += bytes[index..<end]
                state = remaining - (end - index) == 0 ? .dataEnd : .data(remaining: remaining - (end - index))
                index = end
            case .done:
                return body
            case .size, .dataEnd, .trailers:
                line.append(bytes[index])
                index += 1
                guard line.count >= 2, line[line.count - 2] == UInt8(ascii: "\r"), line.last == UInt8(ascii: "\n") else {
                    if line.count > 4096 { throw .malformed("a chunk line longer than 4096 bytes") }
                    continue
                }
                let content = Array(line.dropLast(2))
                line = []
                try finishLine(content)
            }
        }
        return body
    }

    private mutating func finishLine(_ content: [UInt8]) throws(ClientError) {
        switch state {
        case .size:
            let digits = content.prefix { $0 != UInt8(ascii: ";") }
            guard !digits.isEmpty, let size = Int(String(decoding: digits, as: UTF8.self), radix: 16), size >= 0 else {
                throw .malformed("bad chunk size line '\(String(decoding: content.prefix(40), as: UTF8.self))'")
            }
            state = size == 0 ? .trailers : .data(remaining: size)
        case .dataEnd:
            guard content.isEmpty else { throw .malformed("chunk data longer than its size") }
            state = .size
        case .trailers:
            if content.isEmpty { state = .done }
        case .data, .done:
            break
        }
    }
}
