import EventLoop
import Glibc
import Synchronization

/// The sending side of one connection, usable from any thread. Once a streamed response
/// has begun it is also the `ResponseStream` the responder's closure writes to.
///
/// Bytes go straight to the socket while it takes them; the rest is queued and the socket's
/// watch asked to report writability. Nothing here ever waits for the peer.
final class ConnectionOutput: ResponseStream, Sendable {
    /// How `send` went.
    enum SendOutcome: Equatable {
        case sent
        /// Some bytes are queued; the watch will report writability.
        case queued
        case failed(SystemError)
        /// More is queued than the response's or the server's output budget allows: the
        /// connection must close (the reason says which).
        case overBudget(String)
        /// The connection is closed; nothing was sent.
        case closed
    }

    /// How `flush` went.
    enum FlushOutcome: Equatable {
        case drained
        case progressed
        case blocked
        case failed(SystemError)
        case closed
    }

    /// Why a stream ended from its writer's side.
    enum StreamEnd: Sendable {
        /// `finish()`: flush, then close the connection.
        case finished
        /// A write failed or the output limit was passed: close at once.
        case aborted(String)
    }

    private enum StreamPhase {
        case notStarted, open, finished, closed
    }

    private struct State {
        var chunks: [[UInt8]] = []
        /// Bytes of `chunks[0]` already sent.
        var firstOffset = 0
        var queuedBytes = 0
        var isSocketClosed = false
        /// While set, bytes are queued instead of sent (the stream head and what the stream's
        /// closure writes at once), so nothing leaves before the closure has run.
        var isHeld = false
        var streamPhase = StreamPhase.notStarted
        /// A `StreamWriteBatch` send of this socket is out: bytes written meanwhile queue behind
        /// it, and the descriptor stays open until it is reported (`closeSocket`).
        var isSending = false
        /// Closes the descriptor; set by `closeSocket` while a batched send is out.
        var closeSocketAfterSend: (@Sendable () -> Void)?
        var closeHandlers: [@Sendable () -> Void] = []
        /// Tells the owning connection that the stream ended from its writer's side (any
        /// thread). Cleared on close, which breaks the reference cycle.
        var streamEnded: (@Sendable (StreamEnd) -> Void)?
    }

    private let socket: Int32
    private let watch: SocketWatch
    private let streamLimit: Int
    private let responseLimit: Int
    private let budget: OutputBudget
    private let counters: TransportCounters
    private let state: Mutex<State>

    /// Output for `socket`, whose writability `watch` reports to the connection.
    init(
        socket: Int32, watch: SocketWatch, streamLimit: Int, responseLimit: Int, budget: OutputBudget, counters: TransportCounters,
        streamEnded: @escaping @Sendable (StreamEnd) -> Void
    ) {
        self.socket = socket
        self.watch = watch
        self.streamLimit = streamLimit
        self.responseLimit = responseLimit
        self.budget = budget
        self.counters = counters
        state = Mutex(State(streamEnded: streamEnded))
    }

    // MARK: For the connection (on its queue)

    /// Sends `bytes`, queueing what the socket does not take.
    func send(_ bytes: [UInt8]) -> SendOutcome {
        state.withLock { state in
            guard !state.isSocketClosed else { return .closed }
            switch enqueue(bytes, state: &state) {
            case .failure(let error): return .failed(error)
            case .success(false): return .sent
            case .success(true):
                if state.queuedBytes > responseLimit { return .overBudget("more than \(responseLimit) bytes of a response unsent") }
                if budget.isExceeded { return .overBudget("the server holds more than \(budget.limit) unsent bytes") }
                return .queued
            }
        }
    }

    /// Sends queued bytes once the socket is writable.
    func flush() -> FlushOutcome {
        state.withLock { state in
            guard !state.isSocketClosed else { return .closed }
            guard !state.isSending else {
                // The batched send's report watches again if anything is left.
                watch.watch(writing: false)
                return .blocked
            }
            switch drainQueue(&state) {
            case .failed(let error):
                return .failed(error)
            case .blocked(let progressed):
                return progressed ? .progressed : .blocked
            case .drained:
                watch.watch(writing: false)
                return .drained
            }
        }
    }

    /// Whether bytes wait in the queue or in a batch.
    var hasPendingOutput: Bool {
        state.withLock { !$0.chunks.isEmpty || $0.isSending }
    }

    /// Bytes waiting in the queue.
    var queuedByteCount: Int {
        state.withLock { $0.queuedBytes }
    }

    /// Opens the stream with its `head` queued and the output held: `write` queues behind the
    /// head until `release()`.
    func startStream(holding head: [UInt8]) {
        state.withLock { state in
            guard state.streamPhase == .notStarted, !state.isSocketClosed else { return }
            state.isHeld = true
            state.chunks.append(head)
            account(head.count, &state)
            state.streamPhase = .open
        }
    }

    /// Ends the hold: sends what the socket takes of the queue and watches writability for the
    /// rest.
    func release() -> SendOutcome {
        state.withLock { state in
            state.isHeld = false
            guard !state.isSocketClosed else { return .closed }
            switch drainQueue(&state) {
            case .failed(let error):
                return .failed(error)
            case .blocked:
                watchWritability(&state)
                return .queued
            case .drained:
                return .sent
            }
        }
    }

    /// Ends the stream from the server's side (shutdown): `onClose` handlers run, queued
    /// bytes are still flushed.
    func finishStream() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard state.streamPhase == .open else { return [] }
            state.streamPhase = .finished
            return takeHandlers(&state)
        }
        for handler in handlers { handler() }
    }

    /// The connection is closing: drop queued bytes and run `onClose` handlers. (The
    /// connection cancels the watch itself.)
    func close() {
        let handlers = state.withLock { state in
            state.isSocketClosed = true
            state.chunks = []
            account(-state.queuedBytes, &state)
            state.streamEnded = nil
            let handlers = state.streamPhase == .closed ? [] : takeHandlers(&state)
            state.streamPhase = .closed
            return handlers
        }
        for handler in handlers { handler() }
    }

    /// Closes the descriptor with `close`, now or, while a batched send names it, once that
    /// send is reported: its number must not go to another connection before the ring has used it.
    func closeSocket(_ close: @escaping @Sendable () -> Void) {
        let now = state.withLock { state in
            guard state.isSending else { return true }
            state.closeSocketAfterSend = close
            return false
        }
        if now { close() }
    }

    // MARK: ResponseStream (any thread)

    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let (end, handlers, streamEnded) = state.withLock {
            state -> (StreamEnd?, [@Sendable () -> Void], (@Sendable (StreamEnd) -> Void)?) in
            guard state.streamPhase == .open, !state.isSocketClosed else { return (nil, [], nil) }
            let reason: String
            switch enqueue(bytes, state: &state) {
            case .success:
                // A stream that keeps bytes back is cut past its own limit, or when the server
                // as a whole holds more unsent than it may.
                if state.queuedBytes > streamLimit {
                    reason = "more than \(streamLimit) bytes unsent"
                } else if state.queuedBytes > 0, budget.isExceeded {
                    reason = "the server holds more than \(budget.limit) unsent bytes"
                } else {
                    return (nil, [], nil)
                }
                counters.streamCutForSlowReading()
            case .failure(let error):
                reason = error.description
            }
            state.streamPhase = .closed
            return (.aborted(reason), takeHandlers(&state), state.streamEnded)
        }
        guard let end else { return }
        for handler in handlers { handler() }
        streamEnded?(end)
    }

    func finish() {
        let (handlers, streamEnded) = state.withLock {
            state -> ([@Sendable () -> Void], (@Sendable (StreamEnd) -> Void)?) in
            guard state.streamPhase == .open else { return ([], nil) }
            state.streamPhase = .finished
            return (takeHandlers(&state), state.streamEnded)
        }
        for handler in handlers { handler() }
        streamEnded?(.finished)
    }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state in
            guard state.streamPhase == .open || state.streamPhase == .notStarted else { return true }
            state.closeHandlers.append(handler)
            return false
        }
        if runNow { handler() }
    }

    var isClosed: Bool {
        state.withLock { $0.streamPhase != .open && $0.streamPhase != .notStarted }
    }

    // MARK: Batched sends (the batch's thread)

    /// Writes `bytes` as a send in `batch` if the socket has nothing queued; otherwise (or with
    /// no ring) as `write` does.
    func write(_ bytes: [UInt8], in batch: StreamWriteBatch) {
        guard !bytes.isEmpty else { return }
        let reserved = batch.isBatching && state.withLock { state in
            guard state.streamPhase == .open, !state.isSocketClosed, !state.isHeld, !state.isSending,
                state.chunks.isEmpty
            else { return false }
            state.isSending = true
            return true
        }
        guard reserved else { return write(bytes) }
        batch.send(bytes, to: socket, for: self)
    }

    /// What a batched send of `bytes` returned (bytes taken, or -errno), treated as `enqueue`
    /// treats a plain send's: the rest goes in front of what was written meanwhile and the
    /// socket's writability is watched; a failure ends the stream. If the connection closed
    /// meanwhile, its descriptor is closed now.
    func finishBatchedSend(_ bytes: UnsafeRawBufferPointer, result: Int32) {
        let (end, handlers, streamEnded, closeSocket) = state.withLock {
            state -> (StreamEnd?, [@Sendable () -> Void], (@Sendable (StreamEnd) -> Void)?, (@Sendable () -> Void)?) in
            state.isSending = false
            guard !state.isSocketClosed else {
                defer { state.closeSocketAfterSend = nil }
                return (nil, [], nil, state.closeSocketAfterSend)
            }
            guard let reason = takeBatchedResult(bytes, result: result, state: &state) else { return (nil, [], nil, nil) }
            let handlers = state.streamPhase == .open ? takeHandlers(&state) : []
            state.streamPhase = .closed
            return (.aborted(reason), handlers, state.streamEnded, nil)
        }
        closeSocket?()
        guard let end else { return }
        for handler in handlers { handler() }
        streamEnded?(end)
    }

    /// Queues what the batched send left, sends what was written behind it, and watches the
    /// socket if anything is left; returns why the stream must end, if it must.
    private func takeBatchedResult(_ bytes: UnsafeRawBufferPointer, result: Int32, state: inout State) -> String? {
        guard state.streamPhase != .closed else { return nil }
        let sent: Int
        if result >= 0 {
            sent = Int(result)
            counters.wrote(sent)
        } else if result == -EAGAIN || result == -EWOULDBLOCK || result == -EINTR {
            sent = 0
        } else {
            return SystemError(call: "send", errno: -result).description
        }
        if sent < bytes.count {
            // Nothing was sent from the queue while this was out, so its offset is still 0.
            state.chunks.insert(Array(bytes[sent...]), at: 0)
            account(bytes.count - sent, &state)
        } else if !state.chunks.isEmpty, case .failed(let error) = drainQueue(&state) {
            return error.description
        }
        // A finished stream's connection waits for the report that the queue drained.
        if !state.chunks.isEmpty || state.streamPhase == .finished { watchWritability(&state) }
        if state.queuedBytes > streamLimit {
            counters.streamCutForSlowReading()
            return "more than \(streamLimit) bytes unsent"
        }
        if state.queuedBytes > 0, budget.isExceeded {
            counters.streamCutForSlowReading()
            return "the server holds more than \(budget.limit) unsent bytes"
        }
        return nil
    }

    // MARK: Inside the lock

    /// How far `drainQueue` got.
    private enum DrainResult {
        case drained
        /// The socket took no more; `progressed` says whether it took anything.
        case blocked(progressed: Bool)
        case failed(SystemError)
    }

    /// Sends queued chunks, in order, until the queue is empty or the socket takes no more.
    private func drainQueue(_ state: inout State) -> DrainResult {
        guard !state.isSending else { return .blocked(progressed: false) }
        var progressed = false
        while let first = state.chunks.first {
            let result = first.withUnsafeBytes { bytes in
                Result { () throws(SystemError) in
                    try System.send(socket, UnsafeRawBufferPointer(rebasing: bytes[state.firstOffset...]))
                }
            }
            switch result {
            case .failure(let error):
                return .failed(error)
            case .success(.wouldBlock):
                return .blocked(progressed: progressed)
            case .success(.processed(let count)):
                counters.wrote(count)
                progressed = true
                account(-count, &state)
                state.firstOffset += count
                if state.firstOffset == first.count {
                    state.chunks.removeFirst()
                    state.firstOffset = 0
                }
            }
        }
        return .drained
    }

    /// Sends directly if nothing is queued, queues the rest and watches writability.
    /// Returns whether anything was queued.
    private func enqueue(_ bytes: [UInt8], state: inout State) -> Result<Bool, SystemError> {
        var sent = 0
        if state.chunks.isEmpty, !state.isHeld, !state.isSending {
            let result = bytes.withUnsafeBytes { buffer in
                Result { () throws(SystemError) in try System.send(socket, buffer) }
            }
            switch result {
            case .failure(let error): return .failure(error)
            case .success(.wouldBlock): break
            case .success(.processed(let count)):
                counters.wrote(count)
                sent = count
            }
            if sent == bytes.count { return .success(false) }
        }
        let rest = sent == 0 ? bytes : Array(bytes[sent...])
        // Small pieces join the last chunk, so a backlog drains in few system calls.
        if let last = state.chunks.indices.last, state.chunks[last].count + rest.count <= 64 * 1024 {
            state.chunks[last].append(contentsOf: rest)
        } else {
            state.chunks.append(rest)
        }
        account(rest.count, &state)
        // Behind a batched send, its report watches.
        if !state.isSending { watchWritability(&state) }
        return .success(true)
    }

    /// Counts `delta` queued bytes, in this output and in the server's budget.
    private func account(_ delta: Int, _ state: inout State) {
        state.queuedBytes += delta
        budget.add(delta)
    }

    private func watchWritability(_ state: inout State) {
        guard !state.isSocketClosed else { return }
        watch.watch(writing: true)
    }

    private func takeHandlers(_ state: inout State) -> [@Sendable () -> Void] {
        let handlers = state.closeHandlers
        state.closeHandlers = []
        return handlers
    }
}
