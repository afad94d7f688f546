import Dispatch
import Testing
@testable import HTTPServer

/// Responders that await: they hold up nobody else, keep pipelined answers in order, and are
/// cancelled when their client goes away.
@Suite struct WaitingResponderTests {
    @Test func aWaitingResponderDoesNotDelayAnotherConnectionOnTheSameQueue() async throws {
        let server = try makeServer(ioQueueCount: 1, responder: WaitingResponder())
        defer { server.shutdown(deadline: .milliseconds(500)) }
        let port = server.port
        let slow = try RawClient(port: port)
        #expect(slow.send("GET /wait?ms=1500 HTTP/1.1\r\nHost: h\r\n\r\n"))
        let fastElapsed = try await offPool { () throws -> Duration in
            let fast = try RawClient(port: port)
            let started = ContinuousClock.now
            _ = fast.send("GET /now HTTP/1.1\r\nHost: h\r\n\r\n")
            let response = try fast.readResponse()
            #expect(response.text == "at once")
            return ContinuousClock.now - started
        }
        #expect(fastElapsed < .milliseconds(1000))
        let slowResponse = try await offPool { try slow.readResponse(timeout: .seconds(5)) }
        #expect(slowResponse.text == "waited 1500")
    }

    @Test func pipelinedAnswersKeepTheirOrderWhenTheFirstWaits() async throws {
        let server = try makeServer(responder: WaitingResponder())
        defer { server.shutdown(deadline: .milliseconds(500)) }
        let client = try RawClient(port: server.port)
        #expect(client.send("GET /wait?ms=300 HTTP/1.1\r\nHost: h\r\n\r\nGET /now HTTP/1.1\r\nHost: h\r\n\r\nGET /wait?ms=10 HTTP/1.1\r\nHost: h\r\n\r\n"))
        let texts = try await offPool { try (0..<3).map { _ in try client.readResponse().text } }
        #expect(texts == ["waited 300", "at once", "waited 10"])
    }

    @Test func aClientThatHalfClosesCancelsItsResponderAndStillGetsItsAnswer() async throws {
        let responder = WaitingResponder()
        let server = try makeServer(responder: responder)
        defer { server.shutdown(deadline: .milliseconds(500)) }
        let client = try RawClient(port: server.port)
        #expect(client.send("GET /hold HTTP/1.1\r\nHost: h\r\n\r\n"))
        try await Task.sleep(for: .milliseconds(100))
        #expect(responder.cancellations.value == 0)
        client.shutdownWrite()
        let response = try await offPool { try client.readResponse() }
        #expect(response.text == "cancelled")
        #expect(responder.cancellations.value == 1)
    }

    @Test func aClientThatResetsCancelsItsResponderAndTheServerServesOn() async throws {
        let responder = WaitingResponder()
        let server = try makeServer(responder: responder)
        defer { server.shutdown(deadline: .milliseconds(500)) }
        do {
            let client = try RawClient(port: server.port)
            #expect(client.send("GET /hold HTTP/1.1\r\nHost: h\r\n\r\n"))
            try await Task.sleep(for: .milliseconds(100))
            client.resetOnClose()
        }
        #expect(try await offPool { eventually { responder.cancellations.value == 1 } })
        let next = try RawClient(port: server.port)
        #expect(next.send("GET /now HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(try await offPool { try next.readResponse().text } == "at once")
    }

    // The shutdown tests do their timing off the cooperative pool: a test resumed late there
    // (other suites block its threads) would measure the pool, not the server.

    @Test func shutdownWaitsForAWaitingResponderAndAnswersItWithClose() async throws {
        let responder = WaitingResponder()
        let server = try makeServer(responder: responder)
        let client = try RawClient(port: server.port)
        #expect(client.send("GET /wait?ms=600 HTTP/1.1\r\nHost: h\r\n\r\n"))
        let elapsed = try await offPool { () -> Duration in
            #expect(eventually { responder.started.value == 1 })
            let started = ContinuousClock.now
            server.shutdown(deadline: .seconds(3))
            return ContinuousClock.now - started
        }
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(3))
        let response = try await offPool { try client.readResponse() }
        #expect(response.text == "waited 600")
        #expect(response.header("Connection") == "close")
    }

    @Test func aRequestSentAsShutdownBeginsIsRefusedWith503NotReset() async throws {
        let responder = WaitingResponder()
        // Grace and timeouts far longer than the test needs: a loaded machine must not make the
        // test's request late for them.
        let limits = makeTestLimits(idleTimeout: .seconds(30), shutdownGrace: .seconds(4))
        let server = try makeServer(limits: limits, responder: responder)
        let port = server.port
        // All on one Dispatch thread, so nothing else's scheduling stands between the steps.
        let (response, closed) = try await offPool { () throws -> (RawClient.Response, Bool) in
            let client = try RawClient(port: port)
            #expect(client.send("GET /now HTTP/1.1\r\nHost: h\r\n\r\n"))
            _ = try client.readResponse()
            let stopped = DispatchSemaphore(value: 0)
            server.shutdown(deadline: .seconds(10)) { stopped.signal() }
            // Once the listener is closed the connections have been told.
            #expect(eventually { (try? RawClient(port: port)) == nil })
            #expect(client.send("POST /now HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi"))
            let response = try client.readResponse()
            let closed = client.waitForClose()
            stopped.wait()
            return (response, closed)
        }
        #expect(response.status == 503)
        #expect(response.header("Connection") == "close")
        #expect(response.header("Retry-After") == "1")
        #expect(response.text.contains("\"type\":\"\(testProblemTypeBase)service-unavailable\""))
        #expect(closed)
        #expect(responder.started.value == 1)
    }
}
