/// A response a responder returns: status, headers, and a body of bytes or a stream.
///
/// The server adds `Date`, `Content-Length` (for byte bodies) and `Connection` itself;
/// for `HEAD` requests it sends the head only, with the length the body would have had.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Body

    /// What follows the head.
    public enum Body: Sendable {
        /// A complete body sent with `Content-Length`.
        case bytes([UInt8])
        /// A body produced over time. The closure runs once, after the head is sent,
        /// with a stream the handler may write to from any thread until it ends.
        /// The connection is not reused after a stream.
        case stream(@Sendable (any ResponseStream) -> Void)
    }

    public init(status: HTTPStatus, headers: HTTPHeaders = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a UTF-8 text body and its content type.
    public init(status: HTTPStatus, contentType: String, text: String, headers: HTTPHeaders = [:]) {
        var headers = headers
        headers.set("Content-Type", contentType)
        self.init(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }
}

/// The writing end of a streamed response body.
///
/// Writes never block: bytes go to the socket while it takes them and are queued
/// otherwise. Past the server's per-stream output limit the stream is closed.
public protocol ResponseStream: AnyObject, Sendable {
    /// Queues bytes for the peer, in call order. Ignored once the stream is closed.
    func write(_ bytes: [UInt8])
    /// Writes bytes as part of `batch`, which may send them together with its other streams'
    /// when it is flushed; in call order with `write`. (Default: `write(bytes)`.)
    func write(_ bytes: [UInt8], in batch: StreamWriteBatch)
    /// Ends the stream: queued bytes are flushed, then the connection is closed.
    func finish()
    /// Runs `handler` once when the stream closes for any reason: the peer went away,
    /// a write failed, the output limit was passed, `finish()`, or server shutdown.
    /// If it is already closed, runs it at once.
    func onClose(_ handler: @escaping @Sendable () -> Void)
    /// Whether the stream has closed.
    var isClosed: Bool { get }
}

/// Answers requests.
///
/// The transport calls `respond` in a task of its own per request, whose preferred executor
/// is the connection's serial I/O queue (one per core, shared by many connections): the task
/// starts there at once and resumes there after each wait, so an answer costs no thread hop.
/// A responder may await anything (a database, a limiter) without holding up other
/// connections, but must not block its thread or compute for long on it; move heavy work to
/// a task of its own. The task is cancelled when the client goes away while it runs.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
