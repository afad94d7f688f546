/// Why the suite's HTTP client could not complete an exchange. Each case says enough to read
/// in a failure message without the code at hand.
enum ClientError: Error, Sendable, CustomStringConvertible {
    /// The connection could not be opened.
    case connect(BaseURL, SystemCallError)
    /// A send or receive failed.
    case io(SystemCallError)
    /// Nothing (or not enough) arrived before the deadline.
    case timedOut(waitingFor: String)
    /// The server closed the connection before the response was complete.
    case closedEarly(waitingFor: String)
    /// The bytes are not an HTTP/1.1 response.
    case malformed(String)

    var description: String {
        switch self {
        case .connect(let url, let error): "cannot connect to \(url): \(error)"
        case .io(let error): "\(error)"
        case .timedOut(let what): "timed out waiting for \(what)"
        case .closedEarly(let what): "the server closed the connection while the client waited for \(what)"
        case .malformed(let problem): "malformed response: \(problem)"
        }
    }
}
