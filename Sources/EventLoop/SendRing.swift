// Linux only: the io_uring of CSystemLinux's send_ring.c, the one file of the module that uses it.
import CSystemLinux
import Synchronization

/// An io_uring that sends many sockets their bytes in one system call: `prepareSend` for each,
/// then `submitAndWait`, then `reap` the results, each what `send(2)` with `MSG_DONTWAIT` would
/// have returned (bytes taken, or a negative errno: `-EAGAIN` when the socket is full).
///
/// Used by one thread at a time: `SendRings` lends each to one batch, and its mutex hands it
/// over (hence `@unchecked Sendable`: nothing else protects it).
package final class SendRing: @unchecked Sendable {
    private let ring: OpaquePointer
    /// Whether a kernel thread takes the submissions.
    package let isPolling: Bool

    /// A ring of at least `entries` sends; `polling` adds a kernel thread that takes the
    /// submissions (`IORING_SETUP_SQPOLL`). Throws where the kernel or a sandbox refuses io_uring.
    package init(entries: Int, polling: Bool) throws(SystemError) {
        var made: OpaquePointer?
        let result = CSystemLinux_SendRing_create(UInt32(entries), polling ? 1 : 0, &made)
        guard result == 0, let made else { throw SystemError(call: "io_uring_setup", errno: -result) }
        ring = made
        isPolling = polling
    }

    deinit {
        CSystemLinux_SendRing_destroy(ring)
    }

    /// Sends that can be prepared before the next `submitAndWait`.
    package var space: Int { Int(CSystemLinux_SendRing_space(ring)) }

    /// Prepares a send of `bytes` to `socket`, reported back under `token`; `bytes` must stay
    /// valid until that completion is reaped. Needs `space`.
    package func prepareSend(_ socket: Int32, _ bytes: UnsafeRawBufferPointer, token: UInt64) {
        CSystemLinux_SendRing_prepareSend(ring, socket, bytes.baseAddress, UInt32(bytes.count), token)
    }

    /// Submits the prepared sends and waits until each has completed.
    package func submitAndWait() throws(SystemError) {
        let result = CSystemLinux_SendRing_submitAndWait(ring)
        if result < 0 { throw SystemError(call: "io_uring_enter", errno: -result) }
    }

    /// Of the sends last submitted, how many the kernel has not taken: after a failed
    /// `submitAndWait`, the last ones prepared, which will never run.
    package var untaken: Int { Int(CSystemLinux_SendRing_untaken(ring)) }

    /// Calls `body` with each completion's token and result, in the order they completed.
    package func reap(_ body: (_ token: UInt64, _ result: Int32) -> Void) {
        var token: UInt64 = 0
        var result: Int32 = 0
        while CSystemLinux_SendRing_reap(ring, &token, &result) == 1 { body(token, result) }
    }
}

/// The process's send rings, lent to one batch at a time and kept for the next (a ring is a
/// descriptor and a few mapped pages; setting one up costs more than a batch of sends).
package enum SendRings {
    /// How batches of sends reach the kernel.
    package enum Mode: Sendable, Equatable {
        /// One `send(2)` per socket.
        case plain
        /// One `io_uring_enter(2)` per batch.
        case ioUring
        /// io_uring with a kernel thread that takes the submissions.
        case ioUringPolling
    }

    private struct Pool: ~Copyable {
        var mode = Mode.plain
        var idle: [SendRing] = []
        var idlePolling: [SendRing] = []
    }

    /// Sends one ring holds: a batch of more submits in parts this size.
    package static let entries = 1024

    private static let pool = Mutex(Pool())

    /// Sets the mode batches use by default: an io_uring one only if a ring can be set up here
    /// (the kernel's `io_uring_disabled`, seccomp filters); returns the mode in effect.
    @discardableResult
    package static func setDefault(_ mode: Mode) -> Mode {
        let ring = mode == .plain ? nil : borrow(mode)
        let effective = ring == nil ? .plain : mode
        pool.withLock { $0.mode = effective }
        if let ring { giveBack(ring) }
        return effective
    }

    /// The mode `setDefault` set (`plain` until it is called).
    package static var defaultMode: Mode { pool.withLock { $0.mode } }

    /// An idle ring of `mode`, or a new one; nil for `plain` or if setting one up fails.
    package static func borrow(_ mode: Mode) -> SendRing? {
        guard mode != .plain else { return nil }
        let polling = mode == .ioUringPolling
        let idle = pool.withLock { pool in polling ? pool.idlePolling.popLast() : pool.idle.popLast() }
        return idle ?? (try? SendRing(entries: entries, polling: polling))
    }

    /// io_uring failed here after it was set up (a sandbox may refuse `io_uring_enter` but
    /// not `io_uring_setup`): batches send plainly from now on, and idle rings are let go.
    package static func fallBackToPlain() {
        pool.withLock { pool in
            pool.mode = .plain
            pool.idle = []
            pool.idlePolling = []
        }
    }

    /// Rings given up on with sends the kernel took but never reported: kept, with the bytes
    /// those sends name, for as long as the process lives, so the kernel never reads freed memory.
    private static let abandoned = Mutex([SendRing]())

    /// Keeps `ring` (see `abandoned`).
    package static func abandon(_ ring: SendRing) {
        abandoned.withLock { $0.append(ring) }
    }

    /// Gives `ring` back for the next batch.
    package static func giveBack(_ ring: SendRing) {
        pool.withLock { pool in
            if ring.isPolling { pool.idlePolling.append(ring) } else { pool.idle.append(ring) }
        }
    }
}
