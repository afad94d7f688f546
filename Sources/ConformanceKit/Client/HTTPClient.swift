import Synchronization

/// The suite's own HTTP/1.1 client: one connection per request, every wait bounded by `timeout`.
/// It shares no code with the server, so the two cannot share a bug.
///
/// Given several base URLs (instances of one cluster), it sends each request to the next one
/// in turn, so consecutive requests, and a stream and the posts it should see, cross instances.
struct HTTPClient: Sendable {
    let baseURLs: [BaseURL]
    /// Seconds an exchange (connect, send, whole response) may take.
    let timeout: Double
    /// When a 429 or 503 with `Retry-After` is waited out and the request sent again.
    let backOff: BackOff
    private let turn = Turn()

    private final class Turn: Sendable {
        let next = Atomic(0)
    }

    init(baseURLs: [BaseURL], timeout: Double, backOff: BackOff = BackOff()) {
        precondition(!baseURLs.isEmpty, "a client needs a base URL")
        self.baseURLs = baseURLs
        self.timeout = timeout
        self.backOff = backOff
    }

    init(baseURL: BaseURL, timeout: Double) {
        self.init(baseURLs: [baseURL], timeout: timeout)
    }

    /// Sends `request` and reads the whole response; a 429 or 503 with `Retry-After` other
    /// than `expected` is waited out and the request sent again (see `BackOff`).
    func send(_ request: ClientRequest, expecting expected: Int? = nil) throws(ClientError) -> ClientResponse {
        var waited = 0.0
        for retry in 0...backOff.maxRetries {
            let response = try sendOnce(request)
            guard let delay = backOff.delay(after: response.head, expecting: expected, retry: retry, waited: waited) else { return response }
            backOff.wait(delay, first: retry == 0)
            waited += delay
        }
        return try sendOnce(request)
    }

    /// Sends `request` and reads the head (see `openOnce`), backing off as `send` does.
    func open(_ request: ClientRequest, expecting expected: Int? = nil) throws(ClientError) -> OpenedStream {
        var waited = 0.0
        for retry in 0...backOff.maxRetries {
            let opened = try openOnce(request)
            guard case .response(let response) = opened,
                let delay = backOff.delay(after: response.head, expecting: expected, retry: retry, waited: waited)
            else { return opened }
            backOff.wait(delay, first: retry == 0)
            waited += delay
        }
        return try openOnce(request)
    }

    /// The instance the next request goes to.
    private func nextBaseURL() -> BaseURL {
        baseURLs[turn.next.wrappingAdd(1, ordering: .relaxed).oldValue % baseURLs.count]
    }

    /// Sends `request` once and reads the whole response.
    func sendOnce(_ request: ClientRequest) throws(ClientError) -> ClientResponse {
        let deadline = Deadline(after: timeout)
        let baseURL = nextBaseURL()
        let socket = try LoopbackSocket(connectingTo: baseURL, timeout: timeout)
        defer { socket.close() }
        try socket.send(request.serialized(for: baseURL), deadline: deadline)
        var parser = ResponseParser(requestMethod: request.method)
        var body: [UInt8] = []
        for _ in 0..<1_000_000 {
            if parser.isComplete {
                try expectNothingMore(on: socket, after: parser)
                break
            }
            switch try socket.receive(deadline: deadline) {
            case .bytes(let bytes):
                body += try parser.feed(bytes)
            case .endOfStream:
                try parser.finish()
                return try complete(parser, body)
            case .timedOut:
                throw .timedOut(waitingFor: parser.head == nil ? "the response head" : "the response body")
            }
        }
        return try complete(parser, body)
    }

    /// Sends `request` once and reads the head. A `200 text/event-stream` answer stays open as
    /// an `EventStream`; any other answer is read whole.
    func openOnce(_ request: ClientRequest) throws(ClientError) -> OpenedStream {
        let deadline = Deadline(after: timeout)
        let baseURL = nextBaseURL()
        let socket = try LoopbackSocket(connectingTo: baseURL, timeout: timeout)
        try socket.send(request.serialized(for: baseURL), deadline: deadline)
        var parser = ResponseParser(requestMethod: request.method)
        var body: [UInt8] = []
        for _ in 0..<1_000_000 {
            if let head = parser.head, request.method != "HEAD", head.status == 200, head.mediaType == "text/event-stream" {
                return .stream(EventStream(request: request, head: head, socket: socket, parser: parser, firstBytes: body))
            }
            if parser.isComplete {
                try expectNothingMore(on: socket, after: parser)
                return .response(try complete(parser, body))
            }
            switch try socket.receive(deadline: deadline) {
            case .bytes(let bytes):
                body += try parser.feed(bytes)
            case .endOfStream:
                try parser.finish()
                return .response(try complete(parser, body))
            case .timedOut:
                throw .timedOut(waitingFor: parser.head == nil ? "the response head" : "the response body")
            }
        }
        throw .timedOut(waitingFor: "the response")
    }

    /// Bytes after a complete response mean its framing lied (a Content-Length too small, a
    /// body on a HEAD answer). The request said `Connection: close`, so the server closes right
    /// after the response; a server that keeps the connection is given a quarter second.
    private func expectNothingMore(on socket: LoopbackSocket, after parser: ResponseParser) throws(ClientError) {
        let deadline = Deadline(after: min(timeout, 0.25))
        var extra = 0
        for _ in 0..<1_000 {
            switch try socket.receive(deadline: deadline) {
            case .bytes(let bytes): extra += bytes.count
            case .endOfStream, .timedOut:
                guard extra > 0 else { return }
                let framing = parser.head.flatMap { $0.header("Content-Length") }.map { "Content-Length: \($0)" } ?? "its framing"
                throw .malformed("\(extra) bytes follow the end of the response (\(framing); a HEAD or 204 answer has no body)")
            }
        }
    }

    private func complete(_ parser: ResponseParser, _ body: [UInt8]) throws(ClientError) -> ClientResponse {
        guard let head = parser.head else { throw .closedEarly(waitingFor: "the response head") }
        return ClientResponse(head: head, body: body)
    }
}

/// What opening a stream produced.
enum OpenedStream {
    /// A `200 text/event-stream` response, still open.
    case stream(EventStream)
    /// Any other response, read whole.
    case response(ClientResponse)
}
