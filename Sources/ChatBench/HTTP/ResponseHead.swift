/// The parts of a response head the tool acts on.
struct ResponseHead: Sendable {
    /// The status code.
    var status: Int
    /// `Content-Length`, when given.
    var contentLength: Int?
    /// True when `Transfer-Encoding` ends in `chunked`.
    var isChunked = false
    /// True when the server said `Connection: close`.
    var closesConnection = false
    /// `Content-Type`, lowercased, or empty.
    var contentType = ""

    /// True for `text/event-stream` (parameters allowed).
    var isEventStream: Bool { contentType.hasPrefix("text/event-stream") }

    /// Parses a head (status line and fields, without the final empty line); lines may end in
    /// CRLF or LF.
    init(parsing bytes: [UInt8]) throws(ResponseParseError) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            line.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let statusLine = lines.first else { throw .malformedStatusLine("") }
        // "HTTP/1.1 200 OK": the version, a space, three digits.
        let parts = statusLine.split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard parts.count >= 2, parts[0].starts(with: Array("HTTP/1.".utf8)), parts[1].count == 3,
              let status = Int(String(decoding: parts[1], as: UTF8.self)) else {
            throw .malformedStatusLine(String(decoding: statusLine.prefix(80), as: UTF8.self))
        }
        self.status = status
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                throw .malformedField(String(decoding: line.prefix(80), as: UTF8.self))
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingSpaces()
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0 else { throw .badContentLength(value) }
                contentLength = length
            case "transfer-encoding":
                isChunked = value.lowercased().hasSuffix("chunked")
            case "connection":
                closesConnection = value.lowercased().contains("close")
            case "content-type":
                contentType = value.lowercased()
            default:
                break
            }
        }
    }
}
