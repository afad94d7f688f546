/// An open `200 text/event-stream` response, read incrementally on a kept-open connection.
/// Every read waits at most until its deadline, so a missing event fails fast.
final class EventStream {
    /// What one read produced.
    enum Read {
        case item(EventStreamParser.Item)
        /// The server ended the stream (closed the connection, or ended the chunked body).
        case ended
        case timedOut
    }

    /// The request that opened the stream.
    let request: ClientRequest
    let head: ResponseHead
    private let socket: LoopbackSocket
    private var responseParser: ResponseParser
    private var parser = EventStreamParser()
    private var queue: [EventStreamParser.Item] = []
    private(set) var hasEnded = false
    /// Framing problems already handed out by `takeNewViolations`.
    private var reportedViolations = 0

    init(request: ClientRequest, head: ResponseHead, socket: LoopbackSocket, parser responseParser: ResponseParser, firstBytes: [UInt8]) {
        self.request = request
        self.head = head
        self.socket = socket
        self.responseParser = responseParser
        queue = parser.feed(firstBytes)
        if responseParser.isComplete { end() }
    }

    /// The next item, waiting until `deadline` for one.
    func next(deadline: Deadline) throws(ClientError) -> Read {
        for _ in 0..<1_000_000 {
            if !queue.isEmpty { return .item(queue.removeFirst()) }
            if hasEnded { return .ended }
            if try !receive(deadline: deadline) { return .timedOut }
        }
        return .timedOut
    }

    /// Reads until the opening block (`retry:`, comment, blank line) is complete, keeping what
    /// arrives queued; false when it did not complete before `deadline` or the stream ended.
    func awaitOpening(deadline: Deadline) throws(ClientError) -> Bool {
        for _ in 0..<1_000_000 {
            if parser.isPastOpeningBlock { return true }
            if hasEnded { return false }
            if try !receive(deadline: deadline) { return false }
        }
        return false
    }

    /// Framing problems found since the last call.
    func takeNewViolations() -> [String] {
        let new = Array(parser.violations.dropFirst(reportedViolations))
        reportedViolations = parser.violations.count
        return new
    }

    /// Closes the connection, as a client going away does.
    func close() {
        socket.close()
        hasEnded = true
    }

    /// Receives once; false when the deadline passed first.
    private func receive(deadline: Deadline) throws(ClientError) -> Bool {
        switch try socket.receive(deadline: deadline) {
        case .bytes(let bytes):
            queue += parser.feed(try responseParser.feed(bytes))
            if responseParser.isComplete { end() }
        case .endOfStream:
            end()
        case .timedOut:
            return false
        }
        return true
    }

    private func end() {
        guard !hasEnded else { return }
        hasEnded = true
        parser.finish()
        socket.close()
    }
}
