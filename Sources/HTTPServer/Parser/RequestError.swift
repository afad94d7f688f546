/// What is wrong with a request, as far as the transport can tell.
///
/// Every case but `bodyBudgetSpent` (the server's own limit) is the client's doing; each is
/// answered with `status` and a problem body of kind `problemKind`, and the connection is
/// closed after it, since the framing of whatever follows can no longer be trusted.
enum RequestError: Error, Equatable, Sendable {
    /// A line ended in LF without CR, or CR was not followed by LF.
    case invalidLineEnding
    /// The request line is not `method SP target SP HTTP/d.d`; the text says which part.
    case malformedRequestLine(String)
    /// The request line is longer than the limit.
    case requestLineTooLong(limit: Int)
    /// A major version other than 1.
    case versionNotSupported(String)
    /// A header line is not `name: value`; the text says why.
    case malformedHeader(String)
    /// A header line starting with white space (obsolete line folding, RFC 9112 §5.2).
    case obsoleteLineFolding
    /// The header (or trailer) section is larger than the limit.
    case headerSectionTooLarge(limit: Int)
    /// More header (or trailer) lines than the limit.
    case tooManyHeaderFields(limit: Int)
    /// An HTTP/1.1 request without exactly one `Host`.
    case invalidHost(String)
    /// A field that takes one value (`Content-Type`, `Authorization`) came more than once.
    case repeatedField(String)
    /// A `Content-Length` that is not a decimal number, or several that disagree.
    case invalidContentLength
    /// Both `Transfer-Encoding` and `Content-Length` (RFC 9112 §6.1: a smuggling vector).
    case conflictingFraming
    /// `Transfer-Encoding` whose last coding is not `chunked`, or `chunked` twice, or
    /// `Transfer-Encoding` in an HTTP/1.0 request.
    case invalidTransferEncoding(String)
    /// A transfer coding other than `chunked` (the transport decodes no others).
    case unsupportedTransferCoding(String)
    /// A chunk-size line or chunk terminator that breaks RFC 9112 §7.1.
    case malformedChunk(String)
    /// The body is, or is declared to be, larger than the limit.
    case contentTooLarge(limit: Int)
    /// An `Expect` other than `100-continue`.
    case unsupportedExpectation(String)
    /// The head (or body) did not arrive in time.
    case timeout(body: Bool)
    /// The bodies being received take `HTTPLimits.maxTotalBodyBytes`: 503, before the body is read.
    case bodyBudgetSpent
    /// The client's connections are receiving `HTTPLimits.maxBodyBytesPerClient` bytes of
    /// bodies: 429, before this one is read.
    case clientBodyShareSpent(limit: Int)

    /// The status the transport answers with.
    var status: HTTPStatus { answer.status }

    /// The last part of the problem `type`.
    var problemKind: ProblemKind { answer.kind }

    /// Both, in one table.
    private var answer: (status: HTTPStatus, kind: ProblemKind) {
        switch self {
        case .requestLineTooLong: (.uriTooLong, .uriTooLong)
        case .versionNotSupported: (.httpVersionNotSupported, .versionNotSupported)
        case .headerSectionTooLarge, .tooManyHeaderFields: (.requestHeaderFieldsTooLarge, .headerFieldsTooLarge)
        case .contentTooLarge: (.contentTooLarge, .contentTooLarge)
        case .unsupportedTransferCoding: (.notImplemented, .notImplemented)
        case .unsupportedExpectation: (.expectationFailed, .expectationFailed)
        case .timeout: (.requestTimeout, .requestTimeout)
        case .bodyBudgetSpent: (.serviceUnavailable, .serviceUnavailable)
        case .clientBodyShareSpent: (.tooManyRequests, .tooManyRequests)
        default: (.badRequest, .malformedRequest)
        }
    }

    /// A sentence for the problem's `detail`.
    var detail: String {
        switch self {
        case .invalidLineEnding: "lines must end in CRLF"
        case .malformedRequestLine(let why): "malformed request line: \(why)"
        case .requestLineTooLong(let limit): "the request line is longer than \(limit) bytes"
        case .versionNotSupported(let version): "\(version) is not supported; use HTTP/1.1"
        case .malformedHeader(let why): "malformed header field: \(why)"
        case .obsoleteLineFolding: "obsolete line folding is not accepted"
        case .headerSectionTooLarge(let limit): "the header section is larger than \(limit) bytes"
        case .tooManyHeaderFields(let limit): "more than \(limit) header fields"
        case .invalidHost(let why): "invalid Host: \(why)"
        case .repeatedField(let name): "\(name) must be sent once, not repeated"
        case .invalidContentLength: "Content-Length must be one decimal number"
        case .conflictingFraming: "Transfer-Encoding and Content-Length must not both be sent"
        case .invalidTransferEncoding(let why): "invalid Transfer-Encoding: \(why)"
        case .unsupportedTransferCoding(let coding): "transfer coding '\(coding)' is not supported"
        case .malformedChunk(let why): "malformed chunked body: \(why)"
        case .contentTooLarge(let limit): "the body is larger than \(limit) bytes"
        case .unsupportedExpectation(let value): "expectation '\(value)' is not supported"
        case .timeout(let body): body ? "the request body was not received in time" : "the request head was not received in time"
        case .bodyBudgetSpent: "the server is receiving as many request bodies as it may; try again shortly"
        case .clientBodyShareSpent(let limit):
            "this client's connections are already sending \(limit) bytes of request bodies; finish those first"
        }
    }

    /// Whether the answer says when to try again (`Retry-After`): a refusal for the moment,
    /// not a request that is wrong.
    var saysWhenToRetry: Bool {
        switch self {
        case .bodyBudgetSpent, .clientBodyShareSpent: true
        default: false
        }
    }

    /// The problem body the transport sends.
    var problem: ProblemDetails {
        ProblemDetails(kind: problemKind, status: status, detail: detail)
    }
}
