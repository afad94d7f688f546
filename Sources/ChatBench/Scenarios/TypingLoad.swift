import EventLoop

/// Typing requests sent open-loop at a fixed rate over a few keep-alive connections: request
/// `k` is due at `k / rate` seconds and goes out on the first idle connection (late, and counted
/// as such, when none is idle). The typers take turns, so each sends once every
/// `typers / rate` seconds.
///
/// Driven on the thread that calls `run`, on the loop it is given (the streams' own, so one
/// thread holds the whole scenario).
final class TypingLoad: RequestConnectionDelegate {
    private let loop: EventLoop
    private let requests: [[UInt8]]
    private let rate: Double
    private var connections: [RequestConnection] = []
    private var sent = 0
    private var inFlight = 0

    /// Answers received, any status.
    private(set) var answered = 0
    /// Answers other than 2xx, plus requests whose connection broke.
    private(set) var errors = 0
    private(set) var firstError: String?
    /// Requests that left more than 1 ms after they were due (all connections busy).
    private(set) var late = 0
    /// Latency of every answered request.
    private(set) var histogram = LatencyHistogram()

    /// A load that sends `requests` in turn at `rate` per second over `connectionCount` connections.
    init(address: LoopbackAddress, loop: EventLoop, requests: [[UInt8]], rate: Double, connectionCount: Int) throws {
        self.loop = loop
        self.requests = requests
        self.rate = rate
        for _ in 0..<max(1, connectionCount) {
            connections.append(try RequestConnection(address: address, loop: loop, delegate: self))
        }
    }

    /// Sends for `seconds`, then waits for the answers in flight until `timeout` seconds more
    /// have passed. Returns the requests sent.
    func run(seconds: Double, timeout: Double) throws -> Int {
        let start = System.monotonicNanoseconds()
        let total = Int(seconds * rate)
        let deadline = start + UInt64((seconds + timeout) * 1e9)
        let finished = try loop.run(deadline: deadline, pollMilliseconds: 1) { now in
            while sent < total, start + UInt64(Double(sent) / rate * 1e9) <= now, let idle = connections.first(where: { !$0.isBusy }) {
                if now - (start + UInt64(Double(sent) / rate * 1e9)) > 1_000_000 { late += 1 }
                idle.send(requests[sent % requests.count], now: now)
                sent += 1
                inFlight += 1
            }
            return sent == total && inFlight == 0
        }
        if !finished {
            errors += inFlight
            if firstError == nil { firstError = "\(inFlight) requests had no answer within the timeout" }
        }
        return sent
    }

    /// Closes the connections.
    func close() {
        for connection in connections { connection.close() }
    }

    func connection(_ connection: RequestConnection, didReceive status: Int, sentAt: UInt64, now: UInt64) {
        inFlight -= 1
        answered += 1
        histogram.record(nanoseconds: now &- sentAt)
        if !(200..<300).contains(status) {
            errors += 1
            if firstError == nil { firstError = "status \(status)" }
        }
    }

    func connection(_ connection: RequestConnection, didFail error: any Error, now: UInt64) {
        inFlight -= 1
        errors += 1
        if firstError == nil { firstError = "\(error)" }
    }
}
