import EventLoop

/// Why a server could not start.
public enum HTTPServerError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The host is not an IPv4 or IPv6 literal, or the port is outside 0...65535.
    case invalidAddress(host: String, port: Int)
    /// `start()` was called on a server that was already started (or shut down).
    case alreadyStarted
    /// A system call failed, such as `bind` with `EADDRINUSE`.
    case systemCall(name: String, errno: Int32, message: String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case .invalidAddress(let host, let port): "invalid listen address '\(host)' port \(port): need an IP literal and 0...65535"
        case .alreadyStarted: "the server was already started"
        case .systemCall(_, _, let message): message
        }
    }

    init(_ error: SystemError) {
        self = .systemCall(name: error.call, errno: error.errno, message: error.description)
    }
}
