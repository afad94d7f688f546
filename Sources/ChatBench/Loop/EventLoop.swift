import EventLoop

/// Something the loop wakes when its socket is ready.
protocol LoopHandler: AnyObject {
    /// Called on the loop's thread with the epoll event bits and the current monotonic time.
    func handle(events: UInt32, now: UInt64)
}

/// One epoll instance, its handlers and a read buffer they share, driven by exactly one thread.
///
/// Sockets are registered edge-triggered for input and output once, and never modified: each
/// connection reads until the kernel has nothing more and writes until it takes no more, so
/// the loop makes no `epoll_ctl` call after a connection opens. Handlers stay registered (and
/// alive) until the loop is discarded; a closed socket leaves a handler that ignores its
/// events, so a token can never name a freed object.
final class EventLoop {
    private let epoll: Int32
    private var handlers: [any LoopHandler] = []
    private let events: System.EpollEventBuffer
    private let eventCapacity = 512
    /// Scratch space for reads; whatever a handler keeps, it copies out.
    let readBuffer: UnsafeMutableRawBufferPointer

    /// A new loop with its own epoll instance.
    init() throws(SystemError) {
        epoll = try System.epollCreate()
        events = System.makeEpollEventBuffer(capacity: eventCapacity)
        readBuffer = .allocate(byteCount: 256 * 1024, alignment: 16)
    }

    deinit {
        System.discard(epoll)
        events.deallocate()
        readBuffer.deallocate()
    }

    /// Watches `socket` for `handler`, edge-triggered, input and output.
    func register(_ socket: Int32, for handler: any LoopHandler) throws(SystemError) {
        try System.epollAdd(epoll, socket, events: System.edgeTriggeredReadWrite, token: UInt64(handlers.count))
        handlers.append(handler)
    }

    /// Runs until `step` returns true or `deadline` (monotonic nanoseconds) passes. `step` is
    /// called with the time before each wait and returns whether to stop; the wait lasts at most
    /// `pollMilliseconds`, so steps that schedule work (timed sends) stay on time.
    /// Returns false if the deadline ended the run.
    @discardableResult
    func run(deadline: UInt64, pollMilliseconds: Int32 = 5, _ step: (UInt64) throws -> Bool) throws -> Bool {
        while true {
            let now = System.monotonicNanoseconds()
            if try step(now) { return true }
            if now >= deadline { return false }
            let untilDeadline = Int32(clamping: (deadline - now) / 1_000_000 + 1)
            let count = try System.epollWait(epoll, events, milliseconds: min(pollMilliseconds, untilDeadline))
            guard count > 0 else { continue }
            for index in 0..<count {
                let event = System.epollEvent(events, index)
                handlers[Int(event.token)].handle(events: event.events.rawValue, now: System.monotonicNanoseconds())
            }
        }
    }
}
