import EventLoop

extension ConnectionStateMachine {
    /// What happens when the current deadline passes.
    enum Expiry: Equatable {
        /// Close without a word (idle, lingering done, output stalled).
        case close
        /// Answer with this error, then close (408).
        case answer(RequestError)
    }

    /// The deadline that applies in the current state, and what its expiry means.
    func currentDeadline() -> (MonotonicInstant, Expiry)? {
        switch state {
        case .awaitingRequest:
            if isOutputBlocked { return (outputProgressAt + limits.idleTimeout, .close) }
            if let drainStartedAt, !parser.hasPartialRequest {
                return (drainStartedAt + limits.shutdownGrace, .close)
            }
            if let bodyStartedAt, parser.isReadingBody {
                return (bodyStartedAt + limits.bodyTimeout, .answer(.timeout(body: true)))
            }
            if parser.hasPartialRequest {
                return (requestStartedAt + limits.headerTimeout, .answer(.timeout(body: false)))
            }
            if requestsServed == 0 {
                // Nothing but empty lines received: close quietly, there is no request to
                // answer. Counted from the connection's start, so empty lines cannot extend it.
                return (idleSince + limits.headerTimeout, .close)
            }
            return (idleSince + limits.idleTimeout, .close)
        case .closingAfterOutput:
            return isOutputBlocked ? (outputProgressAt + limits.idleTimeout, .close) : nil
        case .lingering:
            return (lingerStartedAt + limits.lingerTimeout, .close)
        case .responding, .streaming, .closed:
            return nil
        }
    }

    /// Arms the timer if the current deadline comes before the one already armed. A timer
    /// armed for later than needed is never moved back: when it fires early the machine
    /// re-arms it, so keep-alive traffic costs no timer changes.
    mutating func scheduleTimer() {
        guard let (deadline, _) = currentDeadline() else { return }
        if let armed = armedAt, armed <= deadline { return }
        armedAt = deadline
        pendingArm(deadline)
    }
}
