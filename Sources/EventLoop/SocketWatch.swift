import Dispatch
import Synchronization

/// Readiness of one socket, reported to its owner on the owner's serial queue.
///
/// Level-triggered, like a Dispatch source: while the owner wants reading (or writing) and the
/// socket is ready for it, the handler keeps being called. Underneath is a one-shot epoll
/// registration, enabled again after each handler call with whatever the owner wants by then,
/// so one handler call runs at a time, and none after `cancel()`.
///
/// An inline watch runs its handler on the watcher's thread inside `queue.sync`, so the watcher
/// does not wait for the next report before the handler has returned: its registration can stay
/// armed (level-triggered, not one-shot) while the owner wants something, and is changed only
/// when what the owner wants changes. It is one-shot only while the owner wants nothing, where
/// it waits for a hang-up or an error, reported once.
///
/// Reading and writing are turned on and off from any thread; `cancel()`, on the owner's queue,
/// ends the watch, and the socket may be closed right after it.
package final class SocketWatch: Sendable {
    /// What the socket is ready for.
    package struct Readiness: OptionSet, Sendable {
        package let rawValue: UInt8
        package init(rawValue: UInt8) { self.rawValue = rawValue }
        package static let readable = Readiness(rawValue: 1 << 0)
        package static let writable = Readiness(rawValue: 1 << 1)
        /// epoll refused the socket: nothing will ever be reported for it; close it.
        package static let failed = Readiness(rawValue: 1 << 2)
    }

    package typealias Handler = @Sendable (Readiness) -> Void

    private struct State {
        var handler: Handler?
        var wantsReading = false
        var wantsWriting = false
        /// What the kernel registration is enabled for; nil before it exists.
        var enabled: System.EpollEvents?
        /// An event came from the kernel and its delivery is queued or running.
        var isDelivering = false
        var pending: System.EpollEvents = []
        var isCancelled = false
        /// Reports taken from the kernel, delivered or not (for tests).
        var reportCount = 0
    }

    package let socket: Int32
    private let queue: DispatchQueue
    /// The handler runs on the watcher's thread, inside `queue.sync`.
    private let isInline: Bool
    private let watcher: SocketWatcher
    private let token: UInt64
    private let state = Mutex(State())

    /// What to ask epoll for while the owner wants reading.
    private static let readingInterest: System.EpollEvents = [.input, .peerClosedWriting]
    /// What counts as readable, or writable, in a report.
    private static let readableEvents: System.EpollEvents = [.input, .peerClosedWriting, .hangUp, .error]
    private static let writableEvents: System.EpollEvents = [.output, .hangUp, .error]

    /// Made by `SocketWatcher.watch(_:on:)`, which enters it under `token`.
    init(socket: Int32, queue: DispatchQueue, inline: Bool, watcher: SocketWatcher, token: UInt64) {
        self.socket = socket
        self.queue = queue
        self.isInline = inline
        self.watcher = watcher
        self.token = token
    }

    /// Sets the handler, which runs on the owner's queue. Call before turning anything on.
    package func start(_ handler: @escaping Handler) {
        state.withLock { $0.handler = handler }
    }

    /// Enters the socket in epoll, watching for reading if `reading`, so that a refusal (the
    /// kernel out of memory or over `max_user_watches`) is an error here rather than a `.failed`
    /// report. Call after `start(_:)`.
    package func register(reading: Bool = false) throws(SystemError) {
        try state.withLock { state throws(SystemError) in
            guard state.enabled == nil else { return }
            state.wantsReading = reading
            try update(&state)
        }
    }

    /// Turns reporting of readability on or off (any thread).
    package func watch(reading: Bool) {
        state.withLock { state in
            guard state.wantsReading != reading else { return }
            state.wantsReading = reading
            apply(&state)
        }
    }

    /// Turns reporting of writability on or off (any thread).
    package func watch(writing: Bool) {
        state.withLock { state in
            guard state.wantsWriting != writing else { return }
            state.wantsWriting = writing
            apply(&state)
        }
    }

    /// Ends the watch: the handler is dropped, and once this has returned on the owner's queue
    /// it is never called again. The socket stays open for its owner to close.
    package func cancel() {
        state.withLock { state in
            guard !state.isCancelled else { return }
            state.isCancelled = true
            state.handler = nil
            if state.enabled != nil {
                // Now, while the descriptor is still open: once it is closed, a copy of it held
                // elsewhere (a child process's) would keep the registration alive.
                try? watcher.delete(socket)
                state.enabled = nil
            }
        }
        watcher.remove(token)
    }

    /// Reports taken from the kernel so far, whether or not they reached the handler.
    package var reportCount: Int {
        state.withLock { $0.reportCount }
    }

    // MARK: From the watcher's thread

    /// The kernel reported `events`; a one-shot registration is disabled until `apply` enables it.
    func fired(_ events: System.EpollEvents) {
        let deliver = state.withLock { state -> Bool in
            guard !state.isCancelled, let enabled = state.enabled else { return false }
            state.reportCount += 1
            if enabled.contains(.oneShot) { state.enabled = [] }
            state.pending.formUnion(events)
            guard !state.isDelivering else { return false }
            state.isDelivering = true
            return true
        }
        guard deliver else { return }
        if isInline {
            queue.sync { self.deliver() }
        } else {
            queue.async { self.deliver() }
        }
    }

    // MARK: On the owner's queue

    private func deliver() {
        let (handler, readiness) = state.withLock { state -> (Handler?, Readiness) in
            let events = state.pending
            state.pending = []
            guard !state.isCancelled, let handler = state.handler else { return (nil, []) }
            var readiness: Readiness = []
            if state.wantsReading, !events.isDisjoint(with: Self.readableEvents) { readiness.insert(.readable) }
            if state.wantsWriting, !events.isDisjoint(with: Self.writableEvents) { readiness.insert(.writable) }
            return (handler, readiness)
        }
        if let handler, !readiness.isEmpty { handler(readiness) }
        state.withLock { state in
            state.isDelivering = false
            apply(&state)
        }
    }

    /// Brings the kernel registration in line with what the owner wants (inside the lock); the
    /// first call enters the socket in epoll.
    private func update(_ state: inout State) throws(SystemError) {
        guard !state.isCancelled, !state.isDelivering else { return }
        var wanted: System.EpollEvents = []
        if state.wantsReading { wanted.formUnion(Self.readingInterest) }
        if state.wantsWriting { wanted.insert(.output) }
        // Hang-ups and errors are reported whatever the mask: a registration wanting nothing
        // stays disabled (or is armed for those alone, which report once and disable it).
        if wanted.isEmpty, let enabled = state.enabled, enabled.isDisjoint(with: [.input, .output]) { return }
        // Inline, reports cannot overlap a delivery: the one thread that takes them runs it.
        if !isInline || wanted.isEmpty { wanted.insert(.oneShot) }
        guard state.enabled != wanted else { return }
        if state.enabled == nil {
            try watcher.add(socket, events: wanted, token: token)
        } else {
            try watcher.modify(socket, events: wanted, token: token)
        }
        state.enabled = wanted
    }

    /// `update`, with a refusal reported to the owner as `.failed`.
    private func apply(_ state: inout State) {
        do throws(SystemError) {
            try update(&state)
        } catch {
            // Nothing more will be reported; the owner hears of it unless it cancels first.
            state.isDelivering = true
            queue.async { self.deliverFailure() }
        }
    }

    private func deliverFailure() {
        let handler = state.withLock { state in state.isCancelled ? nil : state.handler }
        handler?(.failed)
    }
}
