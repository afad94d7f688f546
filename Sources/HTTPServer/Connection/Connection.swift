import Dispatch
import EventLoop

/// One accepted socket. Its `SocketWatch` and a Dispatch timer report what happens to a
/// `ConnectionStateMachine`, and this class carries out the actions it returns. The timer
/// exists only while a deadline may need it: an open stream, which has none, holds no timer.
///
/// `@unchecked Sendable`: every `var` is touched only on `queue` — the watch's handler, the
/// timer and the responder's task (whose preferred executor is `queue`'s, see `deliver`) all
/// run there, and other threads reach the connection only through `queue.async`.
/// `output` and `watch` are themselves thread-safe.
final class Connection: @unchecked Sendable {
    /// What a connection needs from its server.
    struct Environment: Sendable {
        var responder: any HTTPResponder
        var limits: HTTPLimits
        /// Added to the answers the transport makes itself.
        var errorHeaders: HTTPHeaders = [:]
        /// Writes the problem bodies of those answers.
        var problems = ProblemEncoder.unconfigured
        var log: (@Sendable (String) -> Void)?
        /// Counts what the connection does.
        var counters = TransportCounters()
        /// The unsent bytes of all the server's connections (`HTTPLimits.maxTotalOutputBytes`).
        var outputBudget = OutputBudget(limit: .max)
        /// The bodies all the server's connections are receiving (`HTTPLimits.maxTotalBodyBytes`).
        var bodyBudget: BodyBudget?
        /// Reports the socket's readiness, and runs the connection's reaction to it on its own
        /// thread: this connection's queue is one it serves alone.
        var watcher: SocketWatcher
        /// Called on the connection's queue once its socket is closed.
        var closed: @Sendable (Connection) -> Void
        /// Called on the connection's queue, once, when during shutdown the connection can
        /// no longer start a request (see `ConnectionStateMachine.isSettled`). A connection that
        /// closes settles through `closed` as well.
        var settled: @Sendable (Connection) -> Void = { _ in }
        /// Whose `Forwarded` / `X-Forwarded-For` name the client.
        var trustedProxies = TrustedProxies()
        /// Called on the connection's queue when a counted connection becomes idle (with the
        /// instant its last request was answered, or it was accepted, and whether it has sent
        /// no request yet), starts receiving a head (`headStalled`, with the instant its first
        /// byte came) or becomes busy (nil).
        var idleChanged: @Sendable (
            Connection, _ client: ClientID, _ idleSince: MonotonicInstant?, _ unused: Bool, _ headStalled: Bool, _ now: MonotonicInstant
        ) -> Void = { _, _, _, _, _, _ in }
        /// Counts a stream of a client; false when the client holds `maxStreamsPerClient`.
        var reserveStream: @Sendable (ClientID) -> Bool = { _ in true }
        /// A stream counted by `reserveStream` ended.
        var releaseStream: @Sendable (ClientID) -> Void = { _ in }
    }

    /// Unique among the server's connections (descriptors are reused, ids are not).
    let id: UInt64
    let socket: Int32
    /// The peer's address, read once at accept; nil if the kernel would not say.
    private let peer: IPAddress?
    /// The peer's text form and client, made once: most requests name no other client.
    private let peerText: String?
    private let peerClient: ClientID?
    /// The client the connection counts against; nil for a trusted proxy or an unknown peer.
    let client: ClientID?
    let queue: DispatchQueue
    /// Runs responder tasks on `queue`.
    private let executor: QueueExecutor
    private let environment: Environment
    private var output: ConnectionOutput!
    private var machine: ConnectionStateMachine
    private let watch: SocketWatch
    private var timer: DispatchSourceTimer?
    private var isInputClosed = false
    private var isClosed = false
    /// Bytes asked of the socket in the next read: doubled while reads fill it (up to
    /// `maxReadSize`), halved when they do not.
    private var readSize = Connection.minReadSize
    private var encodeBuffer: [UInt8] = []
    private var dateCache = HTTPDateCache()
    /// The task in which the responder answers the current request, while it has not.
    private var responderTask: Task<Void, Never>?
    /// True while `deliver` runs: an answer that comes then is left in `immediateResponse`.
    private var isDelivering = false
    private var immediateResponse: HTTPResponse?
    private var isSettledReported = false
    /// A streamed response began (and is counted as open until the connection closes).
    private var hasStream = false
    /// The client of the request with the responder (behind a trusted proxy, the one it names),
    /// and whether it is a HEAD request (answered without starting a stream).
    private var currentClient: ClientID?
    private var currentIsHead = false
    /// The client a stream is counted against, from its admission until the connection closes.
    private var streamClient: ClientID?
    /// What `environment.idleChanged` was last told.
    private var reportedIdleSince: MonotonicInstant?
    private var reportedHeadStalled = false

    /// How much later a connection must have become idle again to be told to the registry.
    private static let idleRefreshInterval: Duration = .seconds(1)
    /// Bodies up to this size are copied behind the head and sent with it in one call.
    private static let coalescedBodyLimit = 16 * 1024
    /// The fewest and the most bytes taken from the socket in one read.
    private static let minReadSize = 4 * 1024
    private static let maxReadSize = 64 * 1024

    /// A connection on an accepted, non-blocking `socket` from `peer`, its work on `queue`,
    /// counted against `client`.
    init(id: UInt64, socket: Int32, peer: IPAddress?, client: ClientID?, executor: QueueExecutor, environment: Environment) {
        self.id = id
        self.socket = socket
        self.peer = peer
        peerText = peer?.description
        peerClient = peer.map(ClientID.init)
        self.client = client
        self.queue = executor.queue
        self.executor = executor
        self.environment = environment
        // Inline: the epoll thread reads the request, runs the responder (up to its first
        // suspension) and writes the answer itself, with no other thread woken.
        watch = environment.watcher.watch(socket, on: queue, inline: true)
        machine = ConnectionStateMachine(
            limits: environment.limits, errorHeaders: environment.errorHeaders, problems: environment.problems,
            bodyAccount: environment.bodyBudget?.account(for: client), now: Self.now())
        output = ConnectionOutput(
            socket: socket,
            watch: watch,
            streamLimit: environment.limits.maxStreamOutputBytes,
            responseLimit: environment.limits.maxResponseOutputBytes,
            budget: environment.outputBudget,
            counters: environment.counters,
            streamEnded: { [self] end in queue.async { self.handleStreamEnd(end) } }
        )
    }

    /// Starts reading and the timers (from any thread).
    func start() {
        queue.async { [self] in
            // `forceClose()` at a shutdown deadline may have come first.
            guard !isClosed else { return }
            watch.start { [self] readiness in handle(readiness) }
            do throws(SystemError) {
                try watch.register(reading: true)
            } catch {
                environment.log?("connection \(id): \(error)")
                close()
                return
            }
            runActions()
        }
    }

    /// Begins graceful shutdown (from any thread): the request in progress is answered, a
    /// later one refused; an open stream goes on until `endStream()`.
    func shutdown() {
        queue.async { [self] in
            guard !isClosed else { return }
            machine.shutdownRequested(now: Self.now())
            runActions()
        }
    }

    /// Ends an open stream during shutdown, after what it has queued (from any thread).
    func endStream() {
        queue.async { [self] in
            guard !isClosed else { return }
            machine.endStreamRequested(now: Self.now())
            runActions()
        }
    }

    /// Closes the connection if it is still idle, or still receiving a head it began at least
    /// `headGrace` ago (from any thread; the grace the table picked it by, see
    /// `ClientTable.Victim`): room for another. Nothing answered is lost: a head not in yet is
    /// no request. Then `settled` says whether the connection is closed (false: a request
    /// reached it first, and it stays open).
    func shed(headGrace: Duration, settled: (@Sendable (_ closed: Bool) -> Void)? = nil) {
        queue.async { [self] in
            let stalled = machine.headStartedAt.map { $0 + headGrace <= Self.now() } ?? false
            if !isClosed, machine.isIdle || stalled {
                environment.counters.connectionShed()
                close()
            }
            settled?(isClosed)
        }
    }

    /// Closes at once, whatever is in flight (from any thread).
    func forceClose() {
        queue.async { [self] in
            machine.failed(now: Self.now())
            runActions()
        }
    }

    // MARK: Events

    private func handle(_ readiness: SocketWatch.Readiness) {
        if readiness.contains(.failed) {
            environment.log?("connection \(id): epoll refused the socket")
            machine.failed(now: Self.now())
            runActions()
            return
        }
        if readiness.contains(.readable) { handleReadable() }
        if readiness.contains(.writable) { handleWritable() }
    }

    private func handleReadable() {
        guard !isClosed else { return }
        var result = IOResult<Int>.wouldBlock
        do {
            _ = try machine.receive(upTo: readSize, now: Self.now()) { (buffer) throws(SystemError) -> Int in
                result = try System.read(socket, into: buffer)
                if case .processed(let count) = result { return count }
                return 0
            }
        } catch {
            if !error.isPeerGone { environment.log?("connection \(id): \(error)") }
            machine.failed(now: Self.now())
            runActions()
            return
        }
        if case .processed(let count) = result {
            readSize = count == readSize ? min(readSize * 2, Self.maxReadSize) : max(readSize / 2, Self.minReadSize)
        }
        if case .processed(0) = result {
            // EOF stays readable: stop watching or it is reported forever.
            isInputClosed = true
            watch.watch(reading: false)
            // The client gave up on the answer it waits for (as nginx reads it): the handler is
            // cancelled. Whatever it still answers is sent, should a half-closed peer read it.
            responderTask?.cancel()
            machine.peerClosed(now: Self.now())
        }
        runActions()
    }

    private func handleWritable() {
        guard !isClosed else { return }
        switch output.flush() {
        case .drained: machine.outputDrained(now: Self.now())
        case .progressed: machine.outputProgressed(now: Self.now())
        case .blocked, .closed: break
        case .failed(let error):
            if !error.isPeerGone { environment.log?("connection \(id): \(error)") }
            machine.failed(now: Self.now())
        }
        runActions()
    }

    private func handleStreamEnd(_ end: ConnectionOutput.StreamEnd) {
        guard !isClosed else { return }
        switch end {
        case .finished:
            machine.streamFinished(outputPending: output.hasPendingOutput, now: Self.now())
        case .aborted(let reason):
            environment.log?("connection \(id): stream closed: \(reason)")
            machine.failed(now: Self.now())
        }
        runActions()
    }

    // MARK: Actions

    private func runActions() {
        while let action = machine.nextAction() {
            switch action {
            case .deliver(let request):
                deliver(request)
            case .send(let head, let body):
                send(head, body: body)
            case .sendContinue:
                write(ResponseEncoder.continueResponse)
            case .startStream(let head, let open):
                encodeBuffer.removeAll(keepingCapacity: true)
                ResponseEncoder.encode(head, date: dateCache.bytes(forEpochSeconds: System.wallClockSeconds()), into: &encodeBuffer)
                output.startStream(holding: encodeBuffer)
                hasStream = true
                environment.counters.streamStarted()
                open(output)
                report(output.release())
                dropTimerIfIdle()
            case .finishStream:
                output.finishStream()
                if output.hasPendingOutput { machine.outputBlocked(now: Self.now()) }
            case .pauseReading:
                watch.watch(reading: false)
            case .resumeReading:
                if !isInputClosed { watch.watch(reading: true) }
            case .armTimer(let deadline):
                makeTimerIfNeeded().schedule(deadline: DispatchTime(uptimeNanoseconds: deadline.nanoseconds), leeway: .milliseconds(5))
            case .shutdownWrite:
                do throws(SystemError) {
                    try System.shutdownWrite(socket)
                } catch {
                    machine.failed(now: Self.now())
                }
            case .close:
                close()
            }
        }
        if !isSettledReported, machine.isSettled {
            isSettledReported = true
            environment.settled(self)
        }
        // Once per request at most: a request answered at once leaves the connection idle
        // again, but idle since a later instant.
        if let client, !isClosed {
            let headStalled = !machine.isIdle && machine.headStartedAt != nil
            let idleSince = machine.isIdle ? machine.idleSince : machine.headStartedAt
            // A connection answered at once stays idle, since a later instant: told at most once
            // a second (the registry's lock is shared by every connection; the idlest one it picks
            // to shed at the cap is then picked to within a second).
            let isRefresh = if let idleSince, let reportedIdleSince, machine.requestsServed > 1 {
                idleSince < reportedIdleSince + Self.idleRefreshInterval
            } else {
                false
            }
            if idleSince != reportedIdleSince || headStalled != reportedHeadStalled, !isRefresh {
                reportedIdleSince = idleSince
                reportedHeadStalled = headStalled
                environment.idleChanged(self, client, idleSince, machine.requestsServed == 0, headStalled, Self.now())
            }
        }
    }

    /// The connection's timer, made on first use.
    private func makeTimerIfNeeded() -> DispatchSourceTimer {
        if let timer { return timer }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [self] in
            machine.timerFired(now: Self.now())
            runActions()
        }
        self.timer = timer
        timer.resume()
        return timer
    }

    /// Lets go of the timer while no deadline applies (a stream has begun): a Dispatch timer
    /// per idle stream is memory spent on nothing. The next deadline makes a new one.
    private func dropTimerIfIdle() {
        guard let timer, !machine.hasDeadline else { return }
        timer.cancel()
        self.timer = nil
        machine.timerDropped()
    }

    /// Hands `request` to the responder in a task of its own, which prefers this queue's
    /// executor. It starts at once, here, so an answer that needs no waiting is taken without
    /// a hop; one that waits resumes on this queue as a job of its own, and is handed over there.
    /// Either way the task's last step runs on `queue`, so `isDelivering` tells them apart
    /// without a lock.
    private func deliver(_ request: HTTPRequest) {
        var request = request
        let address = peer.map { environment.trustedProxies.client(of: $0, headers: request.headers) }
        if address == peer {
            request.remoteAddress = peerText
            request.client = peerClient
        } else {
            request.remoteAddress = address?.description
            request.client = address.map(ClientID.init)
        }
        currentClient = request.client
        currentIsHead = request.method == "HEAD"
        let responder = environment.responder
        isDelivering = true
        let task = Task.immediate(executorPreference: executor) { [self] in
            let response = await responder.respond(to: request)
            if isDelivering {
                immediateResponse = response
            } else {
                responseArrived(response)
            }
        }
        isDelivering = false
        if let response = immediateResponse {
            immediateResponse = nil
            machine.responseReady(admitted(response), now: Self.now())
        } else {
            responderTask = task
        }
    }

    /// The responder answered after waiting (on `queue`).
    private func responseArrived(_ response: HTTPResponse) {
        dispatchPrecondition(condition: .onQueue(queue))
        responderTask = nil
        guard !isClosed else { return }
        machine.responseReady(admitted(response), now: Self.now())
        runActions()
    }

    /// `response`, unless it is a stream its client may not open (past `maxStreamsPerClient`):
    /// then a `429` in its place, and the stream's `open` is never called.
    private func admitted(_ response: HTTPResponse) -> HTTPResponse {
        guard case .stream = response.body, !currentIsHead, let client = currentClient else { return response }
        guard environment.reserveStream(client) else {
            environment.counters.refusedForClientLimit()
            return environment.problems.response(
                ClientLimit.streams(environment.limits.maxStreamsPerClient),
                headers: environment.errorHeaders.setting("Retry-After", "1"))
        }
        streamClient = client
        return response
    }

    private func send(_ head: ResponseHead, body: [UInt8]) {
        encodeBuffer.removeAll(keepingCapacity: true)
        ResponseEncoder.encode(head, date: dateCache.bytes(forEpochSeconds: System.wallClockSeconds()), into: &encodeBuffer)
        if body.count <= Self.coalescedBodyLimit {
            encodeBuffer.append(contentsOf: body)
            write(encodeBuffer)
        } else {
            write(encodeBuffer)
            write(body)
        }
    }

    private func write(_ bytes: [UInt8]) {
        report(output.send(bytes))
    }

    /// Tells the machine what became of a send.
    private func report(_ outcome: ConnectionOutput.SendOutcome) {
        switch outcome {
        case .sent, .closed:
            break
        case .queued:
            machine.outputBlocked(now: Self.now())
        case .failed(let error):
            if !error.isPeerGone { environment.log?("connection \(id): \(error)") }
            machine.failed(now: Self.now())
        case .overBudget(let reason):
            environment.log?("connection \(id) closed: \(reason)")
            machine.failed(now: Self.now())
        }
    }

    /// Stops everything and closes the descriptor.
    private func close() {
        guard !isClosed else { return }
        isClosed = true
        if hasStream { environment.counters.streamEnded() }
        if let streamClient { environment.releaseStream(streamClient) }
        machine.releaseBodyBudget()
        responderTask?.cancel()
        responderTask = nil
        output.close()
        timer?.cancel()
        timer = nil
        watch.cancel()
        // After a batched send that names it, if one is out (the number must not be reused first).
        output.closeSocket { [socket, id, log = environment.log] in
            do throws(SystemError) {
                try System.close(socket)
            } catch {
                log?("connection \(id): \(error)")
            }
        }
        environment.closed(self)
    }

    @inline(__always)
    static func now() -> MonotonicInstant {
        MonotonicInstant(nanoseconds: DispatchTime.now().uptimeNanoseconds)
    }
}
