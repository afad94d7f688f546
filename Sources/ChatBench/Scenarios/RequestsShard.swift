import EventLoop

/// One loop's share of the requests scenario: its connections, each sending the next of the
/// requests (taken in turn over the shard) as soon as the previous answer is in (closed loop),
/// until the end time or the budget.
///
/// `@unchecked Sendable`: built on the calling thread, then used only by the one loop thread
/// `ShardThreads` gives it, and read back only after that thread has finished (the group's
/// wait orders the accesses); nothing in it is shared with another shard.
final class RequestsShard: RequestConnectionDelegate, @unchecked Sendable {
    private let loop: EventLoop
    private let address: LoopbackAddress
    private let requests: [[UInt8]]
    /// Which of `requests` goes next.
    private var nextRequest: Int
    private let connectionCount: Int
    private var connections: [RequestConnection] = []
    private var budget: Int
    private var endAt: UInt64 = 0
    private var inFlight = 0

    /// Latency of every answered request.
    private(set) var histogram = LatencyHistogram()
    /// Answers received, any status.
    private(set) var responses = 0
    /// Answers other than 2xx, plus requests whose connection broke.
    private(set) var errors = 0
    private(set) var firstError: String?
    private(set) var firstSentAt = UInt64.max
    private(set) var lastAnsweredAt: UInt64 = 0
    /// What stopped the loop itself, if anything.
    private(set) var failure: (any Error)?

    /// A shard that will send `requests` in turn, from `firstRequest` on, over `connectionCount`
    /// connections, at most `budget` times.
    init(address: LoopbackAddress, requests: [[UInt8]], connectionCount: Int, budget: Int, firstRequest: Int = 0) throws {
        loop = try EventLoop()
        self.address = address
        self.requests = requests
        nextRequest = firstRequest % requests.count
        self.connectionCount = connectionCount
        self.budget = budget
    }

    /// Sends until `endAt` (monotonic nanoseconds) or the budget is spent, then waits for the
    /// answers in flight until `deadline`; closes the connections.
    func run(endAt: UInt64, deadline: UInt64) {
        self.endAt = endAt
        defer { for connection in connections { connection.close() } }
        do {
            for _ in 0..<connectionCount {
                connections.append(try RequestConnection(address: address, loop: loop, delegate: self))
            }
            let now = System.monotonicNanoseconds()
            for connection in connections { sendNext(on: connection, now: now) }
            if try !loop.run(deadline: deadline, { _ in inFlight == 0 }) {
                errors += inFlight
                if firstError == nil { firstError = "\(inFlight) requests had no answer within the timeout" }
            }
        } catch {
            failure = error
        }
    }

    private func sendNext(on connection: RequestConnection, now: UInt64) {
        guard budget > 0, now < endAt, errors < 1000 else { return }
        budget -= 1
        inFlight += 1
        if now < firstSentAt { firstSentAt = now }
        connection.send(requests[nextRequest], now: now)
        nextRequest = (nextRequest + 1) % requests.count
    }

    func connection(_ connection: RequestConnection, didReceive status: Int, sentAt: UInt64, now: UInt64) {
        inFlight -= 1
        responses += 1
        lastAnsweredAt = max(lastAnsweredAt, now)
        histogram.record(nanoseconds: now &- sentAt)
        if !(200..<300).contains(status) {
            errors += 1
            if firstError == nil { firstError = "status \(status)" }
        }
        sendNext(on: connection, now: now)
    }

    func connection(_ connection: RequestConnection, didFail error: any Error, now: UInt64) {
        inFlight -= 1
        errors += 1
        if firstError == nil { firstError = "\(error)" }
        sendNext(on: connection, now: now)
    }
}
