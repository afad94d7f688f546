/// Reads requests out of bytes as they arrive (RFC 9112), one complete request at a time.
///
/// Feed bytes with `append` (or `read(upTo:_:)`), then call `next()` until it answers
/// `.needMore`. After `.failure` the parser stays failed: the framing of whatever follows
/// can no longer be trusted. Pure value: no I/O, no clock.
struct RequestParser: Sendable {
    /// What `next()` found.
    enum Output: Sendable {
        /// A complete request, and whether the client allows the connection to be reused.
        case request(HTTPRequest, keepAlive: Bool)
        /// The head of a request with `Expect: 100-continue` is in and its body is not:
        /// the client waits for `100 Continue` (sent once, before any body byte).
        case continueExpected
        /// Nothing complete yet.
        case needMore
        /// The request is broken; see `RequestError.status`.
        case failure(RequestError)
    }

    /// Where in a request the parser is.
    enum Phase: Sendable, Equatable {
        case requestLine
        case headerLines
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case failed(RequestError)
    }

    let limits: HTTPLimits
    /// Where bodies reserve their bytes (`HTTPLimits.maxTotalBodyBytes`, and the connection's
    /// client's share of it); nil: no budget.
    let bodyAccount: BodyBudget.Account?
    /// What the body being read holds of `bodyAccount`; given back by `complete` or `releaseBody`.
    private(set) var reservedBodyBytes = 0
    var phase = Phase.requestLine
    /// Received bytes; `start` is the first not yet consumed.
    var buffer: [UInt8] = []
    var start = 0
    /// Where the search for the next LF resumes, so a line arriving in pieces is scanned once.
    var scan = 0

    // The request being read.
    var method = ""
    var target = ""
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    var body: [UInt8] = []
    var head = HeadFacts()
    /// Bytes and lines of the header or trailer section so far.
    var sectionBytes = 0
    var sectionLines = 0

    /// What the framing-relevant fields of the current head said.
    struct HeadFacts: Sendable {
        var contentLength: Int?
        var transferCodings: [String] = []
        var connectionClose = false
        var connectionKeepAlive = false
        var expectContinue = false
        var otherExpectation: String?
        var hostCount = 0
        /// Singleton fields seen (RFC 9110: one value, no list): a second is an error.
        var sawContentType = false
        var sawAuthorization = false
    }

    /// A parser enforcing `limits`, its bodies reserved from `bodyAccount`.
    init(limits: HTTPLimits, bodyAccount: BodyBudget.Account? = nil) {
        self.limits = limits
        self.bodyAccount = bodyAccount
    }

    /// Reserves `count` bytes for the body about to be read; throws when the budget, or the
    /// client's share of it, is spent.
    mutating func reserveBody(_ count: Int) throws(RequestError) {
        guard let bodyAccount, count > 0 else { return }
        try bodyAccount.reserve(count)
        reservedBodyBytes = count
    }

    /// Gives back what the current body holds of the budget (its request is delivered, or the
    /// connection is done with the parser).
    mutating func releaseBody() {
        bodyAccount?.release(reservedBodyBytes)
        reservedBodyBytes = 0
    }

    /// Whether bytes of a request that is not complete yet have been received.
    var hasPartialRequest: Bool {
        phase != .requestLine || start < buffer.count
    }

    /// Whether the head is in and the body is being received.
    var isReadingBody: Bool {
        switch phase {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: true
        default: false
        }
    }

    /// Bytes received and not yet consumed.
    var bufferedByteCount: Int { buffer.count - start }

    /// Adds received bytes.
    mutating func append(_ bytes: some Collection<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Lets `read` write up to `maxBytes` straight into the buffer; it returns how many it wrote.
    mutating func read<E: Error>(
        upTo maxBytes: Int,
        _ read: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        compact()
        var written = 0
        var failure: E?
        buffer.append(addingCapacity: maxBytes) { span in
            span.withUnsafeMutableBufferPointer { free, initialized in
                do throws(E) {
                    written = try read(UnsafeMutableRawBufferPointer(free))
                    initialized = written
                } catch {
                    failure = error
                }
            }
        }
        if let failure { throw failure }
        return written
    }

    /// Frees the buffer once every byte in it is consumed, so a connection that waits (an idle
    /// keep-alive, an open stream) holds no read buffer; the next read allocates a new one.
    mutating func releaseConsumedBuffer() {
        guard start == buffer.count, buffer.capacity > 0 else { return }
        buffer = []
        scan -= start
        start = 0
    }

    /// Drops consumed bytes, and a large buffer once it is empty.
    private mutating func compact() {
        guard start > 0 else { return }
        if start == buffer.count {
            if buffer.capacity > 64 * 1024 {
                buffer = []
            } else {
                buffer.removeAll(keepingCapacity: true)
            }
        } else {
            buffer.removeSubrange(0..<start)
        }
        scan -= start
        start = 0
    }

    /// The next complete request, or what stops one.
    mutating func next() -> Output {
        while true {
            let step: Step
            switch phase {
            case .failed(let error):
                return .failure(error)
            case .requestLine:
                step = parseRequestLine()
            case .headerLines:
                step = parseHeaderLine()
            case .body(let remaining):
                step = readBody(remaining: remaining)
            case .chunkSize:
                step = parseChunkSize()
            case .chunkData(let remaining):
                step = readChunkData(remaining: remaining)
            case .chunkDataEnd:
                step = parseChunkDataEnd()
            case .trailers:
                step = parseTrailerLine()
            }
            switch step {
            case .again: continue
            case .output(let output): return output
            case .fail(let error):
                phase = .failed(error)
                return .failure(error)
            }
        }
    }

    /// The result of one parsing step.
    enum Step {
        case again
        case output(Output)
        case fail(RequestError)
    }

    /// The next line, CRLF excluded, if complete.
    enum Line {
        case line(Range<Int>)
        case incomplete
        case invalidEnding
    }

    /// Finds the next CRLF-terminated line from `start`; it does not consume it.
    mutating func nextLine() -> Line {
        let from = max(scan, start)
        let lf = buffer.withUnsafeBufferPointer { bytes -> Int? in
            var index = from
            while index < bytes.count {
                if bytes[index] == HTTPSyntax.lf { return index }
                index += 1
            }
            return nil
        }
        guard let lf else {
            scan = buffer.count
            return .incomplete
        }
        guard lf > start, buffer[lf - 1] == HTTPSyntax.cr else { return .invalidEnding }
        return .line(start..<(lf - 1))
    }

    /// Consumes a line found by `nextLine()` and its CRLF.
    mutating func consumeLine(_ line: Range<Int>) {
        start = line.upperBound + 2
        scan = start
    }

    /// Builds the finished request and resets for the next one.
    mutating func complete() -> Step {
        let keepAlive = version.minor >= 1
            ? !head.connectionClose
            : head.connectionKeepAlive && !head.connectionClose
        let request = HTTPRequest(method: method, target: target, version: version, headers: headers, body: body)
        releaseBody()
        headers = HTTPHeaders()
        body = []
        head = HeadFacts()
        phase = .requestLine
        return .output(.request(request, keepAlive: keepAlive))
    }
}
