import Testing
@testable import HTTPServer

/// What the parser produced, in a comparable form.
enum Parsed: Equatable, CustomStringConvertible {
    case request(method: String, target: String, version: HTTPVersion, headers: [String], body: String, keepAlive: Bool)
    case failure(RequestError)

    var description: String {
        switch self {
        case .request(let method, let target, let version, let headers, let body, let keepAlive):
            "\(method) \(target) \(version) \(headers) body=\(body.debugDescription) keepAlive=\(keepAlive)"
        case .failure(let error): "failure(\(error))"
        }
    }
}

/// Feeds `pieces` one after the other, draining the parser after each; `100-continue`
/// signals are dropped since they depend on where the bytes were split.
func parse(_ pieces: [[UInt8]], limits: HTTPLimits = HTTPLimits()) -> [Parsed] {
    var parser = RequestParser(limits: limits)
    var results: [Parsed] = []
    for piece in pieces {
        parser.append(piece)
        drain: while true {
            switch parser.next() {
            case .request(let request, let keepAlive):
                results.append(.request(
                    method: request.method, target: request.target, version: request.version,
                    headers: request.headers.map { "\($0.name): \($0.value)" },
                    body: String(decoding: request.body, as: UTF8.self), keepAlive: keepAlive
                ))
            case .continueExpected:
                continue
            case .needMore:
                break drain
            case .failure(let error):
                results.append(.failure(error))
                return results
            }
        }
    }
    return results
}

/// Parses `text` whole, then split at every byte boundary, then byte by byte, and checks
/// that every way gives the same result; returns it.
func parseEverySplit(_ text: String, limits: HTTPLimits = HTTPLimits(), sourceLocation: SourceLocation = #_sourceLocation) -> [Parsed] {
    let bytes = Array(text.utf8)
    let whole = parse([bytes], limits: limits)
    for split in 0...bytes.count {
        let parts = parse([Array(bytes[..<split]), Array(bytes[split...])], limits: limits)
        #expect(parts == whole, "split at \(split)", sourceLocation: sourceLocation)
        if parts != whole { break }
    }
    let single = parse(bytes.map { [$0] }, limits: limits)
    #expect(single == whole, "byte by byte", sourceLocation: sourceLocation)
    return whole
}

/// A request that must fail, shown escaped in test output.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let text: String
    let error: RequestError

    init(_ text: String, _ error: RequestError) {
        self.text = text
        self.error = error
    }

    var testDescription: String { text.debugDescription }
}

/// A request and whether it allows the connection to be reused.
struct KeepAliveCase: Sendable, CustomTestStringConvertible {
    let text: String
    let keepAlive: Bool

    init(_ text: String, _ keepAlive: Bool) {
        self.text = text
        self.keepAlive = keepAlive
    }

    var testDescription: String { "\(text.debugDescription) → keepAlive \(keepAlive)" }
}

@Suite struct RequestParserTests {
    @Test func parsesARequestWithHeaders() {
        let result = parseEverySplit("GET /chat/abcd/messages?limit=5 HTTP/1.1\r\nHost: example\r\nX-User-Id: 42\r\nAccept:  */*  \r\n\r\n")
        #expect(result == [.request(
            method: "GET", target: "/chat/abcd/messages?limit=5", version: .http1_1,
            headers: ["Host: example", "X-User-Id: 42", "Accept: */*"], body: "", keepAlive: true
        )])
    }

    @Test func looksUpHeaderNamesCaseInsensitively() {
        var parser = RequestParser(limits: HTTPLimits())
        parser.append(Array("GET / HTTP/1.1\r\nhOsT: a\r\ncontent-TYPE: text/plain\r\n\r\n".utf8))
        guard case .request(let request, _) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.headers["Content-Type"] == "text/plain")
        #expect(request.headers["HOST"] == "a")
    }

    @Test func parsesPipelinedRequestsAndBodies() {
        let result = parseEverySplit(
            "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                + "\r\nGET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        )
        #expect(result == [
            .request(method: "POST", target: "/a", version: .http1_1, headers: ["Host: h", "Content-Length: 5"], body: "hello", keepAlive: true),
            // One empty line before a request line is ignored (RFC 9112 §2.2).
            .request(method: "GET", target: "/b", version: .http1_1, headers: ["Host: h", "Connection: close"], body: "", keepAlive: false),
        ])
    }

    @Test func decodesChunkedBodiesWithExtensionsAndTrailers() {
        let result = parseEverySplit(
            "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5 ;name=value\r\nhello\r\nA\r\n0123456789\r\n0\r\nExpires: never\r\n\r\n"
        )
        #expect(result == [.request(
            method: "POST", target: "/c", version: .http1_1,
            headers: ["Host: h", "Transfer-Encoding: chunked"], body: "hello0123456789", keepAlive: true
        )])
    }

    @Test(arguments: [
        KeepAliveCase("GET / HTTP/1.0\r\n\r\n", false),
        KeepAliveCase("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
        KeepAliveCase("GET / HTTP/1.0\r\nConnection: Keep-Alive, close\r\n\r\n", false),
        KeepAliveCase("GET / HTTP/1.1\r\nHost: h\r\n\r\n", true),
        KeepAliveCase("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, CLOSE\r\n\r\n", false),
        KeepAliveCase("GET / HTTP/1.2\r\nHost: h\r\n\r\n", true),
    ])
    func appliesKeepAliveRules(_ rule: KeepAliveCase) {
        guard case .request(_, _, _, _, _, let parsed)? = parseEverySplit(rule.text).first else {
            Issue.record("no request")
            return
        }
        #expect(parsed == rule.keepAlive)
    }

    @Test(arguments: [
        MalformedCase("GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n", .obsoleteLineFolding),
        MalformedCase("GET / HTTP/1.1\r\nHost: h\r\nX : a\r\n\r\n", .malformedHeader("white space before the colon")),
        MalformedCase("GET / HTTP/1.1\r\nHost: h\r\nX(: a\r\n\r\n", .malformedHeader("the name is not a token followed by a colon")),
        MalformedCase("GET / HTTP/1.1\r\nHost: h\r\n: a\r\n\r\n", .malformedHeader("empty field name")),
        MalformedCase("GET / HTTP/1.1\r\nHost: h\r\nX: a\u{7F}b\r\n\r\n", .malformedHeader("control character in the value of 'X'")),
        MalformedCase("GET / HTTP/1.1\nHost: h\r\n\r\n", .invalidLineEnding),
        MalformedCase("GET / HTTP/1.1\r\nHost: h\n\r\n", .invalidLineEnding),
        MalformedCase("G@T / HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the method is not a token followed by one space")),
        MalformedCase(" GET / HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the method is not a token")),
        MalformedCase("GET  / HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the target is empty")),
        MalformedCase("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the version is not HTTP/<digit>.<digit>")),
        MalformedCase("GET /\u{01} HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the target holds a byte outside visible ASCII")),
        MalformedCase("GET / HTTP/1.10\r\nHost: h\r\n\r\n", .malformedRequestLine("the version is not HTTP/<digit>.<digit>")),
        MalformedCase("GET / http/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the version is not HTTP/<digit>.<digit>")),
        MalformedCase("GET /\r\n\r\n", .malformedRequestLine("no HTTP version")),
        MalformedCase("GET / HTTP/2.0\r\nHost: h\r\n\r\n", .versionNotSupported("HTTP/2.0")),
        MalformedCase("GET / HTTP/0.9\r\n\r\n", .versionNotSupported("HTTP/0.9")),
        MalformedCase("GET / HTTP/1.1\r\n\r\n", .invalidHost("an HTTP/1.1 request needs a Host")),
        MalformedCase("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .invalidHost("more than one Host")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", .invalidContentLength),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3, 4\r\n\r\n", .invalidContentLength),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\n", .invalidContentLength),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \r\n\r\n", .invalidContentLength),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999999\r\n\r\n", .invalidContentLength),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding("gzip")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", .invalidTransferEncoding("chunked must be the final coding")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidTransferEncoding("chunked applied twice")),
        MalformedCase("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .invalidTransferEncoding("not allowed in HTTP/1.0")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nZ\r\n", .malformedChunk("invalid chunk-size line")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", .malformedChunk("chunk data longer than its size")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n", .malformedChunk("invalid chunk-size line")),
        MalformedCase("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", .unsupportedExpectation("200-ok")),
        MalformedCase("GET * HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine("the asterisk form (*) is only for OPTIONS")),
        MalformedCase("GET chat/ping HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine(RequestParserTests.noForm)),
        MalformedCase("CONNECT 127.0.0.1:3000 HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine(RequestParserTests.noForm)),
        MalformedCase("GET http:///chat/ping HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine(RequestParserTests.noForm)),
        MalformedCase("GET ftp://h/chat/ping HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine(RequestParserTests.noForm)),
        MalformedCase("OPTIONS ** HTTP/1.1\r\nHost: h\r\n\r\n", .malformedRequestLine(RequestParserTests.noForm)),
    ])
    func rejectsMalformedRequests(_ malformed: MalformedCase) {
        #expect(parseEverySplit(malformed.text) == [.failure(malformed.error)])
    }

    static let noForm = "the target is not in origin form (/path), absolute form (http://host/path) or asterisk form (*)"

    /// RFC 9112 §3.2.2: a server MUST accept the absolute form; §3.2.4: `*` is for OPTIONS.
    @Test func acceptsTheAbsoluteAndAsteriskForms() {
        for target in ["http://127.0.0.1:3000/chat/ping", "HTTPS://h/chat/x?limit=1", "http://h", "http://h?x=1"] {
            let result = parseEverySplit("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n\r\n")
            #expect(result == [.request(method: "GET", target: target, version: .http1_1, headers: ["Host: 127.0.0.1:3000"], body: "", keepAlive: true)])
        }
        let asterisk = parseEverySplit("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(asterisk == [.request(method: "OPTIONS", target: "*", version: .http1_1, headers: ["Host: h"], body: "", keepAlive: true)])
    }

    @Test func mapsErrorsToStatusesAndProblemKinds() {
        #expect(RequestError.obsoleteLineFolding.status == .badRequest)
        #expect(RequestError.obsoleteLineFolding.problemKind == "malformed-request")
        #expect(RequestError.requestLineTooLong(limit: 1).status == .uriTooLong)
        #expect(RequestError.headerSectionTooLarge(limit: 1).status == .requestHeaderFieldsTooLarge)
        #expect(RequestError.tooManyHeaderFields(limit: 1).problemKind == "header-fields-too-large")
        #expect(RequestError.contentTooLarge(limit: 1).status == .contentTooLarge)
        #expect(RequestError.versionNotSupported("HTTP/2.0").status == .httpVersionNotSupported)
        #expect(RequestError.timeout(body: false).status == .requestTimeout)
        #expect(RequestError.unsupportedTransferCoding("gzip").status == .notImplemented)
        #expect(RequestError.timeout(body: true).problem.kind == .requestTimeout)
    }

    @Test func ignoresExpectInHTTP10() {
        let result = parseEverySplit("POST / HTTP/1.0\r\nExpect: something\r\nContent-Length: 1\r\n\r\nx")
        #expect(result.count == 1)
    }

    @Test func acceptsRepeatedEqualContentLengths() {
        let result = parseEverySplit("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok")
        guard case .request(_, _, _, _, let body, _)? = result.first else {
            Issue.record("no request")
            return
        }
        #expect(body == "ok")
    }

    @Test func signalsContinueBeforeTheBodyArrives() {
        var parser = RequestParser(limits: HTTPLimits())
        parser.append(Array("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-Continue\r\n\r\n".utf8))
        guard case .continueExpected = parser.next() else {
            Issue.record("expected continueExpected")
            return
        }
        guard case .needMore = parser.next() else {
            Issue.record("expected needMore")
            return
        }
        parser.append(Array("ok".utf8))
        guard case .request(let request, _) = parser.next() else {
            Issue.record("expected the request")
            return
        }
        #expect(request.body == Array("ok".utf8))
    }

    @Test func doesNotSignalContinueWithoutABody() {
        var parser = RequestParser(limits: HTTPLimits())
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n".utf8))
        guard case .request = parser.next() else {
            Issue.record("expected the request")
            return
        }
    }

    @Test func enforcesTheRequestLineLimitBeforeTheLineEnds() {
        let limits = HTTPLimits(maxRequestLineBytes: 32)
        #expect(parse([Array("GET /\(String(repeating: "a", count: 40))".utf8)], limits: limits)
            == [.failure(.requestLineTooLong(limit: 32))])
        // Exactly at the limit passes.
        let line = "GET /\(String(repeating: "a", count: 18)) HTTP/1.1"
        #expect(line.utf8.count == 32)
        #expect(parseEverySplit(line + "\r\nHost: h\r\n\r\n", limits: limits).count == 1)
        #expect(parseEverySplit("GET /\(String(repeating: "a", count: 19)) HTTP/1.1\r\nHost: h\r\n\r\n", limits: limits)
            == [.failure(.requestLineTooLong(limit: 32))])
    }

    @Test func enforcesHeaderSectionLimits() {
        let big = "GET / HTTP/1.1\r\nHost: h\r\nX: \(String(repeating: "v", count: 100))\r\n\r\n"
        #expect(parseEverySplit(big, limits: HTTPLimits(maxHeaderBytes: 64)) == [.failure(.headerSectionTooLarge(limit: 64))])
        #expect(parse([Array("GET / HTTP/1.1\r\nX: \(String(repeating: "v", count: 100))".utf8)], limits: HTTPLimits(maxHeaderBytes: 64))
            == [.failure(.headerSectionTooLarge(limit: 64))])
        let many = "GET / HTTP/1.1\r\nHost: h\r\n" + (0..<4).map { "X\($0): v\r\n" }.joined() + "\r\n"
        #expect(parseEverySplit(many, limits: HTTPLimits(maxHeaderCount: 4)) == [.failure(.tooManyHeaderFields(limit: 4))])
        #expect(parseEverySplit(many, limits: HTTPLimits(maxHeaderCount: 5)).count == 1)
    }

    @Test func enforcesTheBodyLimit() {
        let limits = HTTPLimits(maxBodyBytes: 8)
        #expect(parseEverySplit("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\n123456789", limits: limits)
            == [.failure(.contentTooLarge(limit: 8))])
        #expect(parseEverySplit("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 8\r\n\r\n12345678", limits: limits).count == 1)
        #expect(parseEverySplit("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12345\r\n4\r\n1234\r\n0\r\n\r\n", limits: limits)
            == [.failure(.contentTooLarge(limit: 8))])
    }

    @Test func staysFailedAfterAnError() {
        var parser = RequestParser(limits: HTTPLimits())
        parser.append(Array("BAD\r\n".utf8))
        guard case .failure = parser.next() else {
            Issue.record("expected a failure")
            return
        }
        parser.append(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8))
        guard case .failure = parser.next() else {
            Issue.record("expected the failure to stick")
            return
        }
    }

    @Test func readsStraightIntoItsBuffer() {
        var parser = RequestParser(limits: HTTPLimits())
        let bytes = Array("GET /direct HTTP/1.1\r\nHost: h\r\n\r\n".utf8)
        let count = parser.read(upTo: 4096) { (buffer: UnsafeMutableRawBufferPointer) -> Int in
            buffer.copyBytes(from: bytes)
            return bytes.count
        }
        #expect(count == bytes.count)
        guard case .request(let request, _) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.target == "/direct")
    }
}
