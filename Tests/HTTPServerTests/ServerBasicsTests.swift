import Testing
@testable import HTTPServer

@Suite struct ServerBasicsTests {
    @Test func answersAndReportsItsPort() throws {
        try withServer { server in
            #expect(server.port > 0)
            let client = try RawClient(port: server.port)
            client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "pong")
            #expect(response.header("Content-Length") == "4")
            #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func listensOnIPv6Loopback() throws {
        let server = try makeServer(host: "::1")
        defer { server.shutdown(deadline: .milliseconds(200)) }
        #expect(server.address?.host == "::1")
        let client = try RawClient(port: server.port, host: "::1")
        client.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "pong")
    }

    @Test func rejectsAHostThatIsNotAnIPLiteral() {
        let server = HTTPServer(configuration: .init(host: "localhost.invalid"), responder: echoResponder)
        #expect(throws: HTTPServerError.invalidAddress(host: "localhost.invalid", port: 0)) { try server.start() }
    }

    @Test func reportsAPortInUse() throws {
        try withServer { server in
            let second = HTTPServer(configuration: .init(port: server.port), responder: echoResponder)
            #expect(throws: HTTPServerError.self) { try second.start() }
        }
    }

    @Test func keepsHTTP11ConnectionsAlive() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            for index in 0..<3 {
                client.send("GET /n\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.text == "GET /n\(index)")
            }
            client.send("GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let last = try client.readResponse()
            #expect(last.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test func closesHTTP10UnlessAskedToKeepAlive() throws {
        try withServer { server in
            let keep = try RawClient(port: server.port)
            keep.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let first = try keep.readResponse()
            #expect(first.header("Connection") == "keep-alive")
            keep.send("GET /b HTTP/1.0\r\n\r\n")
            let second = try keep.readResponse()
            #expect(second.text == "GET /b")
            #expect(second.header("Connection") == "close")
            #expect(keep.waitForClose())
        }
    }

    @Test func answersPipelinedRequestsInOrder() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            var batch = ""
            for index in 0..<20 { batch += "GET /p\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
            batch += "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
            client.send(batch)
            for index in 0..<20 {
                #expect(try client.readResponse().text == "GET /p\(index)")
            }
            #expect(try client.readResponse().text == "hello")
        }
    }

    @Test func answersHeadWithTheLengthOfTheBodyItOmits() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            client.send("HEAD /ping HTTP/1.1\r\nHost: x\r\n\r\nGET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(isHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "4")
            // The next response follows at once: no body bytes were sent for HEAD.
            let get = try client.readResponse()
            #expect(get.text == "pong")
        }
    }

    @Test func decodesChunkedBodies() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: t\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.text == "hello, world")
        }
    }

    @Test func sendsContinueOnlyWhenTheBodyWillBeRead() throws {
        try withServer(limits: makeTestLimits(maxBodyBytes: 100)) { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            client.send("hello")
            #expect(try client.readResponse().text == "hello")

            let large = try RawClient(port: server.port)
            large.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\nExpect: 100-continue\r\n\r\n")
            let refused = try large.readResponse()
            #expect(refused.status == 413)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(refused.text.contains("content-too-large"))
            #expect(large.waitForClose())
        }
    }

    @Test func answers505ForAnotherMajorVersion() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            client.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 505)
            #expect(response.text.contains("version-not-supported"))
            #expect(response.header("Connection") == "close")
            #expect(client.waitForClose())
        }
    }

    @Test func answers400AndClosesOnConflictingFraming() throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.text.contains("malformed-request"))
            #expect(client.waitForClose())
        }
    }

    @Test(arguments: ["Content-Type: text/plain\r\nContent-Type: application/json", "Authorization: Bearer a\r\nauthorization: Bearer b"])
    func answers400ToASingletonFieldGivenTwice(fields: String) throws {
        try withServer { server in
            let client = try RawClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\n\(fields)\r\nContent-Length: 3\r\n\r\nabc")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.text.contains("must be sent once"))
        }
    }

    @Test func survivesAClientThatVanishesMidRequest() throws {
        try withServer { server in
            do {
                let client = try RawClient(port: server.port)
                client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
            }
            #expect(eventually { server.connectionCount == 0 })
            let next = try RawClient(port: server.port)
            next.send("GET /ping HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try next.readResponse().text == "pong")
        }
    }
}
