/// The kind of a problem, which becomes the last segment of its `type` URI
/// (`validation` → `https://chat.example/problems/validation`). Clients switch on it.
///
/// The kinds the transport and generated routers use are declared here; an application adds
/// its own in an extension (`static let roomTaken: ProblemKind = "room-taken"`).
public struct ProblemKind: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The segment itself, such as `not-found`.
    public let rawValue: String

    /// The kind whose `type` ends in `rawValue`.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// The kind whose `type` ends in `value`.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    /// The segment, as in logs.
    public var description: String { rawValue }

    /// Input that breaks the spec's schema, or a rule the schema cannot state (400).
    public static let validation: ProblemKind = "validation"
    /// No such route or resource (404).
    public static let notFound: ProblemKind = "not-found"
    /// The route exists, the method does not (405).
    public static let methodNotAllowed: ProblemKind = "method-not-allowed"
    /// A body in a media type the operation does not take (415).
    public static let unsupportedMediaType: ProblemKind = "unsupported-media-type"
    /// Broken HTTP framing or syntax (400).
    public static let malformedRequest: ProblemKind = "malformed-request"
    /// A request line past the limit (414).
    public static let uriTooLong: ProblemKind = "uri-too-long"
    /// A header section past the limits (431).
    public static let headerFieldsTooLarge: ProblemKind = "header-fields-too-large"
    /// A body past the limit (413).
    public static let contentTooLarge: ProblemKind = "content-too-large"
    /// A request not received in time (408).
    public static let requestTimeout: ProblemKind = "request-timeout"
    /// An HTTP version other than 1.x (505).
    public static let versionNotSupported: ProblemKind = "version-not-supported"
    /// A transfer coding the transport does not decode (501).
    public static let notImplemented: ProblemKind = "not-implemented"
    /// An `Expect` other than `100-continue` (417).
    public static let expectationFailed: ProblemKind = "expectation-failed"
    /// A client past one of its rate limits (429).
    public static let tooManyRequests: ProblemKind = "too-many-requests"
    /// The server is at a limit or shutting down (503).
    public static let serviceUnavailable: ProblemKind = "service-unavailable"
    /// The server failed; nothing more is said to the client (500).
    public static let internalError: ProblemKind = "internal-error"
}
