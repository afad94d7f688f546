/// The server closed a connection while a request was in flight.
struct ConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the server closed the connection before answering" }
}
