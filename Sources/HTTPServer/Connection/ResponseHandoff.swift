import Synchronization

/// Passes a responder's answer from its task to the connection, either way it comes: at once,
/// while the connection is still in `deliver` (no hop), or later from another thread (through
/// the connection's queue). Whichever side comes second learns which way it went.
final class ResponseHandoff: Sendable {
    private enum State {
        /// The connection has not looked yet.
        case pending
        /// The answer came before the connection looked.
        case ready(HTTPResponse)
        /// The connection looked and found nothing: the task must send the answer itself.
        case sentLater
    }

    private let state = Mutex(State.pending)

    /// From the task: true when the connection will take `response` itself.
    func offer(_ response: HTTPResponse) -> Bool {
        state.withLock { state in
            guard case .pending = state else { return false }
            state = .ready(response)
            return true
        }
    }

    /// From the connection, right after starting the task: the answer if it is already there.
    func takeIfReady() -> HTTPResponse? {
        state.withLock { state in
            if case .ready(let response) = state {
                state = .sentLater
                return response
            }
            state = .sentLater
            return nil
        }
    }
}
