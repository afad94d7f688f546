import Dispatch
import Synchronization

/// The sending side of one connection, usable from any thread. Once a streamed response
/// has begun it is also the `ResponseStream` the responder's closure writes to.
///
/// Bytes go straight to the socket while it takes them; the rest is queued and the write
/// source armed. Nothing here ever waits for the peer.
final class ConnectionOutput: ResponseStream, Sendable {
    /// How `send` went.
    enum SendOutcome: Equatable {
        case sent
        /// Some bytes are queued; the write source will report.
        case queued
        case failed(SystemError)
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

    /// Calls into the owning connection. Cleared on close, which breaks the reference cycle.
    struct Callbacks: Sendable {
        /// The write source fired (on the connection's queue).
        var writable: @Sendable () -> Void
        /// The write source's cancellation finished (on the connection's queue).
        var writeSourceCancelled: @Sendable () -> Void
        /// The stream ended from its writer's side (any thread).
        var streamEnded: @Sendable (StreamEnd) -> Void
    }

    private enum StreamPhase {
        case notStarted, open, finished, closed
    }

    private struct State {
        var chunks: [[UInt8]] = []
        /// Bytes of `chunks[0]` already sent.
        var firstOffset = 0
        var queuedBytes = 0
        var writeSource: DispatchSourceWrite?
        var isWriteSourceActive = false
        var isSocketClosed = false
        /// While set, bytes are queued instead of sent (the stream head and what the stream's
        /// closure writes at once), so nothing leaves before the closure has run.
        var isHeld = false
        var streamPhase = StreamPhase.notStarted
        var closeHandlers: [@Sendable () -> Void] = []
        var callbacks: Callbacks?
    }

    private let socket: Int32
    private let queue: DispatchQueue
    private let streamLimit: Int
    private let state: Mutex<State>

    /// Output for `socket`, whose write source runs on `queue`.
    init(socket: Int32, queue: DispatchQueue, streamLimit: Int, callbacks: Callbacks) {
        self.socket = socket
        self.queue = queue
        self.streamLimit = streamLimit
        state = Mutex(State(callbacks: callbacks))
    }

    // MARK: For the connection (on its queue)

    /// Sends `bytes`, queueing what the socket does not take.
    func send(_ bytes: [UInt8]) -> SendOutcome {
        state.withLock { state in
            guard !state.isSocketClosed else { return .closed }
            switch enqueue(bytes, state: &state) {
            case .failure(let error): return .failed(error)
            case .success(let queued): return queued ? .queued : .sent
            }
        }
    }

    /// Sends queued bytes after the write source fired.
    func flush() -> FlushOutcome {
        state.withLock { state in
            guard !state.isSocketClosed else { return .closed }
            switch drainQueue(&state) {
            case .failed(let error):
                return .failed(error)
            case .blocked(let progressed):
                return progressed ? .progressed : .blocked
            case .drained:
                state.writeSource?.suspend()
                state.isWriteSourceActive = false
                return .drained
            }
        }
    }

    /// Whether bytes wait in the queue.
    var hasPendingOutput: Bool {
        state.withLock { !$0.chunks.isEmpty }
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
            state.queuedBytes += head.count
            state.streamPhase = .open
        }
    }

    /// Ends the hold: sends what the socket takes of the queue and arms the write source for
    /// the rest.
    func release() -> SendOutcome {
        state.withLock { state in
            state.isHeld = false
            guard !state.isSocketClosed else { return .closed }
            switch drainQueue(&state) {
            case .failed(let error):
                return .failed(error)
            case .blocked:
                armWriteSource(&state)
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

    /// The connection is closing: drop queued bytes, run `onClose` handlers, cancel the write
    /// source. Returns that source, if one was made: its cancellation will be reported, and
    /// the caller keeps it until then.
    func close() -> DispatchSourceWrite? {
        let (handlers, source, isActive) = state.withLock { state in
            state.isSocketClosed = true
            state.chunks = []
            state.queuedBytes = 0
            state.callbacks = nil
            let handlers = state.streamPhase == .closed ? [] : takeHandlers(&state)
            state.streamPhase = .closed
            let source = state.writeSource
            state.writeSource = nil
            return (handlers, source, state.isWriteSourceActive)
        }
        if let source {
            source.cancel()
            // A suspended source never runs its cancellation handler.
            if !isActive { source.resume() }
        }
        for handler in handlers { handler() }
        return source
    }

    // MARK: ResponseStream (any thread)

    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        let (end, handlers, callbacks) = state.withLock { state -> (StreamEnd?, [@Sendable () -> Void], Callbacks?) in
            guard state.streamPhase == .open, !state.isSocketClosed else { return (nil, [], nil) }
            let reason: String
            switch enqueue(bytes, state: &state) {
            case .success:
                guard state.queuedBytes > streamLimit else { return (nil, [], nil) }
                reason = "more than \(streamLimit) bytes unsent"
            case .failure(let error):
                reason = error.description
            }
            state.streamPhase = .closed
            return (.aborted(reason), takeHandlers(&state), state.callbacks)
        }
        guard let end else { return }
        for handler in handlers { handler() }
        callbacks?.streamEnded(end)
    }

    func finish() {
        let (handlers, callbacks) = state.withLock { state -> ([@Sendable () -> Void], Callbacks?) in
            guard state.streamPhase == .open else { return ([], nil) }
            state.streamPhase = .finished
            return (takeHandlers(&state), state.callbacks)
        }
        for handler in handlers { handler() }
        callbacks?.streamEnded(.finished)
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
                progressed = true
                state.queuedBytes -= count
                state.firstOffset += count
                if state.firstOffset == first.count {
                    state.chunks.removeFirst()
                    state.firstOffset = 0
                }
            }
        }
        return .drained
    }

    /// Sends directly if nothing is queued, queues the rest, arms the write source.
    /// Returns whether anything was queued.
    private func enqueue(_ bytes: [UInt8], state: inout State) -> Result<Bool, SystemError> {
        var sent = 0
        if state.chunks.isEmpty, !state.isHeld {
            let result = bytes.withUnsafeBytes { buffer in
                Result { () throws(SystemError) in try System.send(socket, buffer) }
            }
            switch result {
            case .failure(let error): return .failure(error)
            case .success(.wouldBlock): break
            case .success(.processed(let count)): sent = count
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
        state.queuedBytes += rest.count
        armWriteSource(&state)
        return .success(true)
    }

    private func armWriteSource(_ state: inout State) {
        guard !state.isWriteSourceActive, let callbacks = state.callbacks else { return }
        if state.writeSource == nil {
            let source = DispatchSource.makeWriteSource(fileDescriptor: socket, queue: queue)
            source.setEventHandler(handler: callbacks.writable)
            source.setCancelHandler(handler: callbacks.writeSourceCancelled)
            state.writeSource = source
        }
        state.writeSource?.resume()
        state.isWriteSourceActive = true
    }

    private func takeHandlers(_ state: inout State) -> [@Sendable () -> Void] {
        let handlers = state.closeHandlers
        state.closeHandlers = []
        return handlers
    }
}
