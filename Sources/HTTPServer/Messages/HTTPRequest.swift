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
    /// The request target exactly as received: origin form (`/chat/abcd/messages?limit=5`),
    /// absolute form (`http://127.0.0.1:3000/chat/abcd`) or `*` (see `RequestTarget`).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// The body after any transfer coding is removed.
    public var body: [UInt8]
    /// The address of the client's end of the connection (`127.0.0.1`, `::1`), as the kernel
    /// reports it, or, from a trusted proxy, the client's address as the proxy names it
    /// (`HTTPServerConfiguration.trustedProxies`); nil when the transport did not learn it.
    public var remoteAddress: String?
    /// The client the per-client bounds count this request against (the address, or its /64);
    /// key per-client limits of your own on it. Nil when the address is unknown.
    public var client: ClientID?

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

    /// The target's path, before any `?`, still percent-encoded; for the absolute form the path
    /// after the authority (`/` if empty), for the asterisk form `*`.
    public var path: Substring {
        let origin = RequestTarget.originForm(of: target)
        // Searching the UTF-8 view skips grapheme breaking; `?` is ASCII, so the index is valid.
        return origin.utf8.firstIndex(of: UInt8(ascii: "?")).map { origin[..<$0] } ?? origin
    }

    /// The target's query, after the first `?`, still percent-encoded; nil without a `?`.
    public var query: Substring? {
        let origin = RequestTarget.originForm(of: target)
        return origin.utf8.firstIndex(of: UInt8(ascii: "?")).map { origin[origin.utf8.index(after: $0)...] }
    }
}
