/// An RFC 9457 problem: what every error answer of the server says (`application/problem+json`).
///
/// The transport's own 4xx/5xx, a router's 400/404/405/415 and a handler's domain errors are all
/// values of this type, and `ProblemEncoder` is the one place that turns them into bytes.
/// A problem is also an `Error`: a handler may throw one.
public struct ProblemDetails: Error, Sendable, Equatable {
    /// One failing field of a validation problem.
    public struct FieldError: Sendable, Equatable, Codable {
        /// Where the field is: `body.name`, `query.limit`, `path.room`, `header.X-User-Id`.
        public var field: String
        /// What is wrong with it, in words.
        public var reason: String

        /// The failure of `field`, said in `reason`.
        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// Which problem this is: the last segment of its `type`.
    public var kind: ProblemKind
    /// The status it is answered with.
    public var status: HTTPStatus
    /// What went wrong, naming the offending thing.
    public var detail: String
    /// Each failing field, for validation problems.
    public var errors: [FieldError]?

    /// A problem of `kind`, answered with `status`.
    public init(kind: ProblemKind, status: HTTPStatus, detail: String, errors: [FieldError]? = nil) {
        self.kind = kind
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    /// The status's standard reason phrase, which is the problem's `title`.
    public var title: String { status.reasonPhrase }
}

/// Something that knows which problem it is: a domain error, say. Routers answer any thrown
/// error of this kind with its problem.
public protocol ProblemConvertible: Error {
    /// The problem this error is answered with.
    var problem: ProblemDetails { get }
    /// Headers its answer carries besides the problem: `WWW-Authenticate` on a 401,
    /// `Retry-After` and the rate-limit fields on a 429 or 503. Default none.
    var responseHeaders: HTTPHeaders { get }
}

extension ProblemConvertible {
    /// No headers beyond the problem.
    public var responseHeaders: HTTPHeaders { [:] }
}

extension ProblemDetails: ProblemConvertible {
    /// A thrown problem is answered as itself.
    public var problem: ProblemDetails { self }
}
