import EventLoop

/// The life of one connection as a plain value: events in, actions out.
///
/// The shell (`Connection`) reports what happened — bytes read, output blocked or drained,
/// a response ready, the timer fired, the peer gone — then drains `nextAction()` until it
/// is nil, doing what each action says. No sockets, no clock: every event carries `now`,
/// so tests drive it with a fake one.
struct ConnectionStateMachine {
    /// What the shell must do.
    enum Action {
        /// Call the responder with this request, then report `responseReady`.
        case deliver(HTTPRequest)
        /// Encode and write a response head and body (empty for HEAD and streams).
        case send(ResponseHead, body: [UInt8])
        /// Write `100 Continue`.
        case sendContinue
        /// Start a stream: queue its head, run the responder's closure with the stream, then
        /// send. The closure runs before any byte of the response leaves, so what it sets up
        /// (a subscription, say) is in place before the client can see the stream open.
        case startStream(ResponseHead, @Sendable (any ResponseStream) -> Void)
        /// End the open stream from the server's side (shutdown): its `onClose` handlers run,
        /// its queued bytes are still flushed.
        case finishStream
        /// Stop or restart reading: the peer does not take its answers fast enough.
        case pauseReading
        case resumeReading
        /// Make the one timer fire at this instant (replacing any earlier setting).
        case armTimer(MonotonicInstant)
        /// Send FIN after the last answer; keep reading (and discarding) until the peer closes.
        case shutdownWrite
        /// Close the socket now; an open stream's `onClose` handlers run.
        case close
    }

    /// Where the connection is.
    enum State: Equatable {
        /// Reading a request (or waiting for one).
        case awaitingRequest
        /// A request is with the responder.
        case responding
        /// A streamed body is being written by someone else.
        case streaming
        /// The last answer is written or queued; after it, half-close (or close).
        case closingAfterOutput
        /// Write side shut, waiting for the peer to close; input is discarded.
        case lingering
        case closed
    }

    let limits: HTTPLimits
    /// Added to every answer the machine makes itself (client errors).
    let errorHeaders: HTTPHeaders
    /// Writes the problem bodies of those answers.
    let problems: ProblemEncoder
    private(set) var state = State.awaitingRequest
    private(set) var parser: RequestParser
    private var pending: [Action] = []
    private var pendingIndex = 0
    private var now: MonotonicInstant

    /// Whether the last write left bytes queued.
    private(set) var isOutputBlocked = false
    private var isReadingPaused = false
    /// The peer sent EOF: no more requests will come.
    private(set) var isInputClosed = false
    /// Shutdown began: answer what is in flight, then close.
    private(set) var isDraining = false
    /// When shutdown began.
    private(set) var drainStartedAt: MonotonicInstant?
    /// Shutdown found part of a request received: it is still read and answered.
    private var servesRequestInProgress = false

    // What the request with the responder asked for.
    private var currentKeepAlive = false
    private var currentIsHead = false
    private var currentIsHTTP10 = false
    private(set) var requestsServed = 0

    // Timers: the one the shell has armed, and the instants each timeout counts from.
    var armedAt: MonotonicInstant?
    private(set) var requestStartedAt: MonotonicInstant
    private(set) var bodyStartedAt: MonotonicInstant?
    private(set) var idleSince: MonotonicInstant
    private(set) var outputProgressAt: MonotonicInstant
    private(set) var lingerStartedAt: MonotonicInstant

    /// A machine for a connection accepted at `now`.
    init(
        limits: HTTPLimits, errorHeaders: HTTPHeaders = [:],
        problems: ProblemEncoder = ProblemEncoder.unconfigured, bodyAccount: BodyBudget.Account? = nil, now: MonotonicInstant
    ) {
        self.limits = limits
        self.errorHeaders = errorHeaders
        self.problems = problems
        self.parser = RequestParser(limits: limits, bodyAccount: bodyAccount)
        self.now = now
        requestStartedAt = now
        idleSince = now
        outputProgressAt = now
        lingerStartedAt = now
        scheduleTimer()
    }

    // MARK: Events

    /// Lets `read` put up to `maxBytes` received bytes straight into the parser's buffer;
    /// it returns the count. A count of zero changes nothing (report EOF with `peerClosed`).
    mutating func receive<E: Error>(
        upTo maxBytes: Int,
        now: MonotonicInstant,
        _ read: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        self.now = now
        let hadPartialRequest = parser.hasPartialRequest
        let count = try parser.read(upTo: maxBytes, read)
        guard count > 0 else { return 0 }
        switch state {
        case .streaming, .lingering, .closed, .closingAfterOutput:
            // Nothing more will be answered: what the peer sends is dropped.
            discardInput()
        case .awaitingRequest, .responding:
            if !hadPartialRequest { requestStartedAt = now }
        }
        return count
    }

    /// Received bytes, for callers (tests) that have them in hand.
    mutating func receive(_ bytes: [UInt8], now: MonotonicInstant) {
        _ = receive(upTo: bytes.count, now: now) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
            buffer.copyBytes(from: bytes)
            return bytes.count
        }
    }

    /// The peer sent EOF.
    mutating func peerClosed(now: MonotonicInstant) {
        self.now = now
        isInputClosed = true
        switch state {
        case .streaming, .lingering:
            closeNow()
        case .awaitingRequest, .responding, .closingAfterOutput, .closed:
            // Requests already buffered are still answered; `step` closes when none is left.
            break
        }
    }

    /// The responder answered the delivered request.
    mutating func responseReady(_ response: HTTPResponse, now: MonotonicInstant) {
        self.now = now
        guard state == .responding else { return }
        let keepAlive = currentKeepAlive && !isDraining && !isInputClosed
            && !Self.asksToClose(response.headers)
        switch response.body {
        case .bytes(let body):
            let code = response.status.code
            let hasNoContent = code < 200 || code == 204 || code == 304
            let head = ResponseHead(
                status: response.status,
                headers: response.headers,
                contentLength: hasNoContent ? nil : body.count,
                connection: keepAlive ? (currentIsHTTP10 ? .keepAlive : .implicit) : .close
            )
            append(.send(head, body: currentIsHead || hasNoContent ? [] : body))
            if keepAlive {
                requestsServed += 1
                idleSince = now
                state = .awaitingRequest
            } else {
                state = .closingAfterOutput
            }
        case .stream(let open):
            let head = ResponseHead(status: response.status, headers: response.headers, contentLength: nil, connection: .close)
            if currentIsHead {
                append(.send(head, body: []))
                state = .closingAfterOutput
            } else {
                append(.startStream(head, open))
                state = .streaming
            }
        }
    }

    /// A write left bytes queued: the shell watches for writability.
    mutating func outputBlocked(now: MonotonicInstant) {
        self.now = now
        if !isOutputBlocked {
            isOutputBlocked = true
            outputProgressAt = now
        }
    }

    /// Some queued bytes were sent, not all.
    mutating func outputProgressed(now: MonotonicInstant) {
        self.now = now
        outputProgressAt = now
    }

    /// Every queued byte was sent.
    mutating func outputDrained(now: MonotonicInstant) {
        self.now = now
        isOutputBlocked = false
        idleSince = now
    }

    /// The stream ended from its writer's side (`finish()`); `outputPending` says whether
    /// bytes are still queued.
    mutating func streamFinished(outputPending: Bool, now: MonotonicInstant) {
        self.now = now
        guard state == .streaming else { return }
        state = .closingAfterOutput
        if outputPending { outputBlocked(now: now) }
    }

    /// A read or write failed, or a stream passed its output limit: close at once.
    mutating func failed(now: MonotonicInstant) {
        self.now = now
        closeNow()
    }

    /// Graceful shutdown begins: the request with the responder, or partly received, is
    /// answered (with `Connection: close`); a request that starts arriving later is refused
    /// with `503`; an idle connection closes after `shutdownGrace`. An open stream goes on
    /// until `endStreamRequested`.
    mutating func shutdownRequested(now: MonotonicInstant) {
        self.now = now
        guard !isDraining else { return }
        isDraining = true
        drainStartedAt = now
        servesRequestInProgress = parser.hasPartialRequest
    }

    /// Shutdown ends the open stream: its queued bytes are still flushed, then it closes.
    mutating func endStreamRequested(now: MonotonicInstant) {
        self.now = now
        guard state == .streaming else { return }
        append(.finishStream)
        state = .closingAfterOutput
    }

    /// Whether, during shutdown, this connection can no longer start a request of its own:
    /// it streams, or it only has its last answer to finish.
    var isSettled: Bool {
        guard isDraining else { return false }
        switch state {
        case .streaming, .closingAfterOutput, .lingering, .closed: return true
        // Without a request in progress it can only refuse (503) or close.
        case .awaitingRequest: return !servesRequestInProgress
        case .responding: return false
        }
    }

    /// The timer the shell armed fired.
    mutating func timerFired(now: MonotonicInstant) {
        self.now = now
        armedAt = nil
        guard let (deadline, expiry) = currentDeadline() else { return }
        guard now >= deadline else {
            scheduleTimer()
            return
        }
        switch expiry {
        case .close:
            closeNow()
        case .answer(let error):
            answerWithError(error)
        }
    }

    /// The shell let go of its timer (a stream, which has no deadline, has begun): the next
    /// deadline arms a new one.
    mutating func timerDropped() {
        armedAt = nil
    }

    /// Whether the current state has a deadline (when it has none, the shell may drop its timer).
    var hasDeadline: Bool { currentDeadline() != nil }

    /// Whether the connection only waits: for a request of which nothing has come, with
    /// nothing left to send, shutdown not begun. Such a connection may be shed without loss.
    /// When the request head being received began (its first byte), while the connection
    /// waits for the rest of it with nothing else under way; nil otherwise (a body being read
    /// counts as busy: the body budget and timeout bound it).
    var headStartedAt: MonotonicInstant? {
        guard state == .awaitingRequest, parser.hasPartialRequest, !parser.isReadingBody, !isOutputBlocked, !isDraining, !isInputClosed
        else { return nil }
        return requestStartedAt
    }

    var isIdle: Bool {
        state == .awaitingRequest && !parser.hasPartialRequest && !isOutputBlocked && !isDraining && !isInputClosed
    }

    /// The next thing to do, or nil when the machine waits for an event.
    mutating func nextAction() -> Action? {
        if pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            step()
            scheduleTimer()
            if pending.isEmpty {
                // Nothing left to do until the next event: hold no memory for it meanwhile.
                pending = []
                parser.releaseConsumedBuffer()
                return nil
            }
        }
        // Moved out, not copied: a delivered request is not retained twice.
        var action = Action.close
        swap(&action, &pending[pendingIndex])
        pendingIndex += 1
        return action
    }

    // MARK: Steps

    /// Moves on from the current state when nothing else is pending.
    private mutating func step() {
        switch state {
        case .awaitingRequest:
            stepAwaitingRequest()
        case .closingAfterOutput:
            guard !isOutputBlocked else { return }
            if isInputClosed {
                closeNow()
            } else {
                append(.shutdownWrite)
                lingerStartedAt = now
                state = .lingering
            }
        case .responding, .streaming, .lingering, .closed:
            break
        }
    }

    private mutating func stepAwaitingRequest() {
        // Answers go out in order and one at a time: while one waits for the peer to
        // read it, the next request waits too, and so does reading.
        if isOutputBlocked {
            if !isReadingPaused {
                isReadingPaused = true
                append(.pauseReading)
            }
            return
        }
        if isReadingPaused {
            isReadingPaused = false
            append(.resumeReading)
        }
        if isDraining, !servesRequestInProgress {
            stepDraining()
            return
        }
        switch parser.next() {
        case .request(let request, let keepAlive):
            currentKeepAlive = keepAlive
            currentIsHead = request.method == "HEAD"
            currentIsHTTP10 = request.version.minor == 0
            bodyStartedAt = nil
            requestStartedAt = now
            state = .responding
            append(.deliver(request))
        case .continueExpected:
            bodyStartedAt = now
            append(.sendContinue)
        case .needMore:
            if parser.isReadingBody, bodyStartedAt == nil { bodyStartedAt = now }
            if isInputClosed { closeNow() }
        case .failure(let error):
            answerWithError(error)
        }
    }

    /// During shutdown, with no request in progress: a request that arrives is refused with
    /// `503` before it is read; after the grace period the connection closes.
    private mutating func stepDraining() {
        if parser.hasPartialRequest {
            answer(ServiceUnavailable.shuttingDown, headers: ServiceUnavailable.headers(errorHeaders))
        } else if let drainStartedAt, now >= drainStartedAt + limits.shutdownGrace {
            closeNow()
        }
    }

    /// Sends the problem answer for a client error; the connection closes after it.
    private mutating func answerWithError(_ error: RequestError) {
        answer(error.problem, headers: error.saysWhenToRetry ? ServiceUnavailable.headers(errorHeaders) : errorHeaders)
    }

    /// Sends `problem` as the last answer; input after it is discarded.
    private mutating func answer(_ problem: ProblemDetails, headers: HTTPHeaders) {
        discardInput()
        let response = problems.response(problem, headers: headers)
        guard case .bytes(let body) = response.body else { return }
        let head = ResponseHead(status: response.status, headers: response.headers, contentLength: body.count, connection: .close)
        append(.send(head, body: body))
        state = .closingAfterOutput
    }

    private mutating func closeNow() {
        guard state != .closed else { return }
        state = .closed
        discardInput()
        append(.close)
    }

    /// Drops buffered input: nothing after the last answer will be read.
    private mutating func discardInput() {
        parser.releaseBody()
        parser = RequestParser(limits: limits, bodyAccount: parser.bodyAccount)
    }

    /// Gives back what a body in progress holds of the body budget (the connection closed).
    mutating func releaseBodyBudget() {
        parser.releaseBody()
    }

    private mutating func append(_ action: Action) {
        pending.append(action)
    }

    /// Queues arming the timer (for `scheduleTimer`).
    mutating func pendingArm(_ deadline: MonotonicInstant) {
        pending.append(.armTimer(deadline))
    }

    /// Whether a responder's `Connection` field asks to close.
    private static func asksToClose(_ headers: HTTPHeaders) -> Bool {
        guard let value = headers["Connection"] else { return false }
        return value.split(separator: ",").contains { $0.trimmingSpaces.caseInsensitiveEquals("close") }
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs, as a String.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
