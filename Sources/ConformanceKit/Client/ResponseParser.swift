/// Reads one HTTP/1.1 response from bytes as they arrive: the head, then a body framed by
/// `Content-Length`, by chunks, or by the end of the connection.
struct ResponseParser: Sendable {
    /// How the body ends.
    enum Framing: Sendable {
        /// No body (HEAD, 204, 304).
        case none
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
        /// Everything until the server closes.
        case untilClose
    }

    /// The largest head the client accepts.
    static let maxHeadBytes = 64 * 1024

    private let expectsBody: Bool
    private var buffer: [UInt8] = []
    private(set) var head: ResponseHead?
    private(set) var framing = Framing.none

    /// A parser for the response to a request; `HEAD` answers carry no body.
    init(requestMethod: String) {
        expectsBody = requestMethod != "HEAD"
    }

    /// Whether the whole response has arrived (a close-delimited body never is, until `finish`).
    var isComplete: Bool {
        guard head != nil else { return false }
        switch framing {
        case .none: return true
        case .length(let remaining): return remaining == 0
        case .chunked(let decoder): return decoder.isComplete
        case .untilClose: return false
        }
    }

    /// Feeds received bytes; answers the body bytes among them (after the head).
    mutating func feed(_ bytes: [UInt8]) throws(ClientError) -> [UInt8] {
        guard head != nil else {
            buffer += bytes
            return try readHead()
        }
        return try body(from: bytes[...])
    }

    /// The connection ended; throws when that cut the response short.
    func finish() throws(ClientError) {
        guard head != nil else { throw .closedEarly(waitingFor: "the response head") }
        switch framing {
        case .length(let remaining) where remaining > 0:
            throw .closedEarly(waitingFor: "\(remaining) more body bytes (Content-Length)")
        case .chunked(let decoder) where !decoder.isComplete:
            throw .closedEarly(waitingFor: "the last chunk")
        default:
            return
        }
    }

    private mutating func readHead() throws(ClientError) -> [UInt8] {
        // Interim (1xx) responses are skipped; the loop is bounded by the bytes at hand.
        for _ in 0..<16 {
            guard let end = Self.endOfHead(in: buffer) else {
                if buffer.count > Self.maxHeadBytes { throw .malformed("a head over \(Self.maxHeadBytes) bytes") }
                return []
            }
            let parsed = try ResponseHead(parsing: buffer[..<end])
            let rest = Array(buffer[(end + 4)...])
            buffer = []
            if (100...199).contains(parsed.status) && parsed.status != 101 {
                buffer = rest
                continue
            }
            head = parsed
            framing = try Self.framing(of: parsed, expectsBody: expectsBody)
            return try body(from: rest[...])
        }
        throw .malformed("more than 16 interim responses")
    }

    private mutating func body(from bytes: ArraySlice<UInt8>) throws(ClientError) -> [UInt8] {
        switch framing {
        case .none:
            return []
        case .length(let remaining):
            let taken = bytes.prefix(remaining)
            framing = .length(remaining: remaining - taken.count)
            return Array(taken)
        case .chunked(var decoder):
            let decoded = try decoder.feed(bytes)
            framing = .chunked(decoder)
            return decoded
        case .untilClose:
            return Array(bytes)
        }
    }

    private static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    private static func framing(of head: ResponseHead, expectsBody: Bool) throws(ClientError) -> Framing {
        if !expectsBody || head.status == 204 || head.status == 304 { return .none }
        if let coding = head.header("Transfer-Encoding") {
            guard coding.lowercased().split(separator: ",").last.map({ String($0).trimmingSpaces }) == "chunked" else {
                throw .malformed("Transfer-Encoding '\(coding)' does not end with chunked")
            }
            return .chunked(ChunkedDecoder())
        }
        let lengths = Set(head.headerValues("Content-Length"))
        guard let text = lengths.first else { return .untilClose }
        guard lengths.count == 1, !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let length = Int(text) else {
            throw .malformed("bad Content-Length \(lengths.sorted())")
        }
        return .length(remaining: length)
    }
}
