import Testing
@testable import HTTPServer

/// Every limit and timeout over real sockets, configured small so the suite stays fast.
@Suite struct LimitTests {
    /// Sends `request` on a fresh connection; expects a problem answer of `status` and `kind`,
    /// then the connection closed.
    private func expectProblem(
        _ request: String, status: Int, kind: String, limits: HTTPLimits,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try withServer(limits: limits) { server in
            let client = try RawClient(port: server.port)
            client.send(request)
            let response = try client.readResponse()
            #expect(response.status == status, sourceLocation: sourceLocation)
            #expect(response.header("Content-Type") == "application/problem+json", sourceLocation: sourceLocation)
            #expect(response.text.contains("\"type\":\"\(testProblemTypeBase)\(kind)\""), sourceLocation: sourceLocation)
            #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
            #expect(client.waitForClose(), sourceLocation: sourceLocation)
        }
    }

    @Test func requestLineTooLongIs414() throws {
        try expectProblem(
            "GET /\(String(repeating: "a", count: 200)) HTTP/1.1\r\nHost: h\r\n\r\n",
            status: 414, kind: "uri-too-long", limits: makeTestLimits(maxRequestLineBytes: 100)
        )
    }

    @Test func headerSectionTooLargeIs431() throws {
        try expectProblem(
            "GET / HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "b", count: 300))\r\n\r\n",
            status: 431, kind: "header-fields-too-large", limits: makeTestLimits(maxHeaderBytes: 256)
        )
    }

    @Test func tooManyHeaderFieldsIs431() throws {
        let fields = (0..<11).map { "X-\($0): v\r\n" }.joined()
        try expectProblem(
            "GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n",
            status: 431, kind: "header-fields-too-large", limits: makeTestLimits(maxHeaderCount: 10)
        )
    }

    @Test func declaredBodyTooLargeIs413() throws {
        try expectProblem(
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\n\r\n",
            status: 413, kind: "content-too-large", limits: makeTestLimits(maxBodyBytes: 1024)
        )
    }

    @Test func chunkedBodyTooLargeIs413() throws {
        let chunk = String(repeating: "c", count: 600)
        try expectProblem(
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n",
            status: 413, kind: "content-too-large", limits: makeTestLimits(maxBodyBytes: 1024)
        )
    }

    @Test func bodyAtTheLimitIsAccepted() throws {
        try withServer(limits: makeTestLimits(maxBodyBytes: 1024)) { server in
            let client = try RawClient(port: server.port)
            let body = String(repeating: "z", count: 1024)
            client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1024\r\n\r\n\(body)")
            #expect(try client.readResponse().text == body)
        }
    }

    @Test func slowHeadIs408ThenClose() throws {
        let limits = makeTestLimits(headerTimeout: .milliseconds(200))
        try withServer(limits: limits) { server in
            let client = try RawClient(port: server.port)
            let started = ContinuousClock.now
            client.send("GET / HTTP/1.1\r\nHost: h\r\n")
            let response = try client.readResponse(timeout: .seconds(2))
            #expect(response.status == 408)
            #expect(response.text.contains("request-timeout"))
            #expect(ContinuousClock.now - started >= .milliseconds(190))
            #expect(client.waitForClose())
        }
    }

    @Test func slowBodyIs408ThenClose() throws {
        let limits = makeTestLimits(bodyTimeout: .milliseconds(200))
        try withServer(limits: limits) { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")
            let response = try client.readResponse(timeout: .seconds(2))
            #expect(response.status == 408)
            #expect(client.waitForClose())
        }
    }

    @Test func silentConnectionIsClosedAfterTheHeaderTimeout() throws {
        let limits = makeTestLimits(headerTimeout: .milliseconds(200))
        try withServer(limits: limits) { server in
            let client = try RawClient(port: server.port)
            #expect(client.waitForClose(timeout: .seconds(2)))
            #expect(eventually { server.connectionCount == 0 })
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        let limits = makeTestLimits(headerTimeout: .seconds(5), idleTimeout: .milliseconds(200))
        try withServer(limits: limits) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /ping HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try client.readResponse().text == "pong")
            let started = ContinuousClock.now
            #expect(client.waitForClose(timeout: .seconds(2)))
            #expect(ContinuousClock.now - started >= .milliseconds(150))
        }
    }

    @Test func connectionsOverTheLimitGet503WhenNoneIsIdle() throws {
        try withServer(limits: makeTestLimits(maxConnections: 2)) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            // Half a request each: both busy, so there is nothing to shed for a newcomer.
            for client in [first, second] { client.send("GET /ping HTTP/1.1\r\n") }
            #expect(eventually { server.connectionCount == 2 })
            usleepMilliseconds(100)
            let third = try RawClient(port: server.port)
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.text.contains("service-unavailable"))
            #expect(third.waitForClose())
            // Once one closes, a new client is served again.
            first.send("Host: h\r\nConnection: close\r\n\r\n")
            _ = try first.readResponse()
            #expect(first.waitForClose())
            #expect(eventually { server.connectionCount < 2 })
            let fourth = try RawClient(port: server.port)
            fourth.send("GET /ping HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try fourth.readResponse().text == "pong")
            second.send("Host: h\r\n\r\n")
            #expect(try second.readResponse().text == "pong")
        }
    }

    @Test func documentedDefaults() {
        let limits = HTTPLimits()
        #expect(limits.maxRequestLineBytes == 8192)
        #expect(limits.maxHeaderBytes == 16384)
        #expect(limits.maxHeaderCount == 100)
        #expect(limits.maxBodyBytes == 65536)
        #expect(limits.headerTimeout == .seconds(10))
        #expect(limits.idleTimeout == .seconds(60))
        #expect(limits.maxStreamOutputBytes == 1_048_576)
        #expect(limits.maxConnections == 10_000)
        #expect(limits.maxConnectionsPerClient == 256)
        #expect(limits.maxIdleConnectionsPerClient == 32)
        #expect(limits.maxStreamsPerClient == 256)
        #expect(limits.maxTotalBodyBytes == 67_108_864)
        #expect(limits.smallBodyReserveBytes == 8_388_608)
    }
}
