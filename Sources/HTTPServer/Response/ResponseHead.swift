/// A response head as the transport sends it: the responder's status and headers plus
/// what the transport decided about framing and the connection.
struct ResponseHead: Sendable {
    /// What the `Connection` field says.
    enum ConnectionOption: Sendable, Equatable {
        /// Nothing: HTTP/1.1 keeps the connection by default.
        case implicit
        /// `keep-alive`, which an HTTP/1.0 client needs to reuse the connection.
        case keepAlive
        /// `close`: this is the last response on the connection.
        case close
    }

    var status: HTTPStatus
    var headers: HTTPHeaders
    /// The `Content-Length` value; nil for a stream and for statuses without content.
    var contentLength: Int?
    var connection: ConnectionOption
}
