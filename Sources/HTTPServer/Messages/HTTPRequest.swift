/// The protocol version of a request.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A complete request: head and body, as the parser delivers it to a responder.
public struct HTTPRequest: Sendable {
    /// The method token, case-sensitive as RFC 9110 says (`GET`, `POST`, …).
    public var method: String
    /// The request target exactly as received (`/chat/abcd/messages?limit=5`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The body after any transfer coding is removed.
    public var body: [UInt8]

    public init(
        method: String,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = [:],
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The target's path, before any `?`, still percent-encoded.
    public var path: Substring {
        // Searching the UTF-8 view skips grapheme breaking; `?` is ASCII, so the index is valid.
        target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
    }

    /// The target's query, after the first `?`, still percent-encoded; nil without a `?`.
    public var query: Substring? {
        target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[target.utf8.index(after: $0)...] }
    }
}
