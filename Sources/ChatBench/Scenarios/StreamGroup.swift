/// The event streams one loop holds: opened a bounded number at a time (so a burst of connects
/// cannot overflow the server's listen backlog), counted as they open and end, their events
/// handed to `onEvent`.
final class StreamGroup: StreamConnectionDelegate {
    /// The loop the streams live on.
    let loop: EventLoop
    /// Called for every event of every stream: stream index, `id:`, data, time.
    var onEvent: (Int, Int?, UnsafeRawBufferPointer, UInt64) -> Void = { _, _, _, _ in }
    /// Called when a stream that had opened ends.
    var onEnd: (Int) -> Void = { _ in }

    private let address: LoopbackAddress
    private let requests: [[UInt8]]
    private let maxConnecting: Int
    private(set) var streams: [StreamConnection] = []
    private var hasOpened: [Bool]
    /// How many streams have opened (and possibly ended since).
    private(set) var openedCount = 0
    /// How many streams ended, before or after opening.
    private(set) var endedCount = 0
    /// How many streams ended before they opened.
    private(set) var failedToOpenCount = 0
    /// The first reason a stream ended, for the report.
    private(set) var firstEnd: StreamEnd?

    /// A group that will open one stream per request in `requests` (each a complete GET).
    init(address: LoopbackAddress, requests: [[UInt8]], maxConnecting: Int) throws {
        loop = try EventLoop()
        self.address = address
        self.requests = requests
        self.maxConnecting = max(1, maxConnecting)
        hasOpened = Array(repeating: false, count: requests.count)
    }

    /// How many streams this group is to hold.
    var count: Int { requests.count }

    /// Streams that are open now.
    var liveCount: Int { openedCount - (endedCount - failedToOpenCount) }

    /// Opens every stream, running the loop until each has opened or failed, or `deadline`
    /// passes. Returns false on the deadline.
    func openAll(deadline: UInt64) throws -> Bool {
        try loop.run(deadline: deadline) { _ in
            try startMore()
            return openedCount + failedToOpenCount == requests.count
        }
    }

    /// `openAll`, as a scenario's first phase: throws when `deadline` passes first, saying it
    /// was opening `what` ("streams").
    func openAll(deadline: UInt64, naming what: String) throws {
        if try !openAll(deadline: deadline) { throw ScenarioFailure.timedOut("opening \(count) \(what)") }
    }

    /// A stream scenario's second phase on this loop: posts through `publisher` (the shard
    /// that has one) while the streams receive, until `isDone` says so or `deadline` passes;
    /// then closes every stream and the publisher.
    func deliver(
        publishing publisher: FanoutPublisher?, maxPostingSeconds: Double, deadline: UInt64, until isDone: (UInt64) -> Bool
    ) throws {
        defer {
            closeAll()
            publisher?.close()
        }
        try publisher?.connect(on: loop, maxSeconds: maxPostingSeconds)
        try loop.run(deadline: deadline, pollMilliseconds: 1) { now in
            publisher?.tick(now: now)
            return isDone(now)
        }
    }

    private var settledCount: Int { openedCount + failedToOpenCount }

    private func startMore() throws {
        while streams.count < requests.count && streams.count - settledCount < maxConnecting {
            let index = streams.count
            streams.append(try StreamConnection(index: index, address: address, request: requests[index], loop: loop, delegate: self))
        }
    }

    /// Closes every stream.
    func closeAll() {
        for stream in streams { stream.close() }
    }

    func streamDidOpen(_ index: Int, now: UInt64) {
        hasOpened[index] = true
        openedCount += 1
    }

    func stream(_ index: Int, didReceiveEventWithId id: Int?, data: UnsafeRawBufferPointer, now: UInt64) {
        onEvent(index, id, data, now)
    }

    func stream(_ index: Int, didEnd reason: StreamEnd, now: UInt64) {
        endedCount += 1
        if firstEnd == nil { firstEnd = reason }
        if hasOpened[index] {
            onEnd(index)
        } else {
            failedToOpenCount += 1
        }
    }
}
