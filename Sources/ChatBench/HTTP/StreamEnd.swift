/// Why a stream stopped.
enum StreamEnd: Error, CustomStringConvertible {
    /// The server answered something other than an event stream.
    case rejected(status: Int, body: String)
    /// The server closed the connection.
    case closedByServer
    /// Connecting, reading or parsing failed.
    case failed(String)

    var description: String {
        switch self {
        case .rejected(let status, let body): "answered \(status) instead of a stream: \(body)"
        case .closedByServer: "closed by the server"
        case .failed(let reason): reason
        }
    }
}
