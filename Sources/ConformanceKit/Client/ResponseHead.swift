/// A response's status line and header fields, as received.
struct ResponseHead: Sendable {
    var status: Int
    var reason: String
    /// Fields in the order received; names as sent.
    var headers: [(name: String, value: String)]

    /// The value of the first field called `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of the fields called `name`.
    func headerValues(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The media type of `Content-Type`, lowercased, without parameters.
    var mediaType: String? {
        header("Content-Type").map { String($0.split(separator: ";", maxSplits: 1).first ?? "").trimmingSpaces.lowercased() }
    }

    /// `201 Created`, for messages.
    var statusLine: String { reason.isEmpty ? String(status) : "\(status) \(reason)" }

    /// Reads a head (status line and fields, without the final blank line) from `bytes`.
    /// Strict: every line ends with CRLF, names are tokens, no folding.
    init(parsing bytes: ArraySlice<UInt8>) throws(ClientError) {
        var lines: [String] = []
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\r"), bytes.index(after: index) < bytes.endIndex,
                bytes[bytes.index(after: index)] == UInt8(ascii: "\n")
            {
                lines.append(try Self.text(bytes[start..<index]))
                index = bytes.index(index, offsetBy: 2)
                start = index
            } else if bytes[index] == UInt8(ascii: "\r") || bytes[index] == UInt8(ascii: "\n") {
                throw .malformed("a bare CR or LF in the head (lines must end with CRLF)")
            } else {
                index = bytes.index(after: index)
            }
        }
        lines.append(try Self.text(bytes[start...]))
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0", parts[1].count == 3,
            let status = Int(parts[1]), (100...599).contains(status)
        else {
            throw .malformed("bad status line '\(statusLine.prefix(120))'")
        }
        self.status = status
        reason = parts.count > 2 ? String(parts[2]) : ""
        headers = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw .malformed("bad header line '\(line.prefix(120))'")
            }
            let name = String(line[..<colon])
            guard name.utf8.allSatisfy(Self.isTokenByte) else {
                throw .malformed("bad header name '\(name.prefix(60))' (a token: no spaces or separators)")
            }
            headers.append((name: name, value: String(line[line.index(after: colon)...]).trimmingSpaces))
        }
    }

    private static func text(_ bytes: ArraySlice<UInt8>) throws(ClientError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .malformed("the head is not UTF-8") }
        return text
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }
}
