import EventLoop
import Testing
@testable import HTTPServer

/// A readable form of the machine's actions.
enum Step: Equatable {
    case deliver(String)
    case send(status: Int, connection: ResponseHead.ConnectionOption, contentLength: Int?, body: String)
    case sendContinue
    case startStream
    case finishStream
    case pauseReading
    case resumeReading
    case arm(seconds: Double)
    case shutdownWrite
    case close
}

/// A machine with a fake clock that starts at zero.
struct MachineHarness {
    var machine: ConnectionStateMachine
    var clock = MonotonicInstant(nanoseconds: 0)

    init(limits: HTTPLimits = makeTestLimits(headerTimeout: .seconds(10), bodyTimeout: .seconds(30), idleTimeout: .seconds(60), lingerTimeout: .seconds(2))) {
        machine = ConnectionStateMachine(limits: limits, now: clock)
    }

    mutating func advance(to seconds: Double) {
        clock = MonotonicInstant(nanoseconds: UInt64(seconds * 1_000_000_000))
    }

    /// Drains the actions; delivered requests are answered by `respond`.
    mutating func drain(_ respond: (HTTPRequest) -> HTTPResponse = { _ in HTTPResponse(status: .ok, contentType: "text/plain", text: "ok") }) -> [Step] {
        var steps: [Step] = []
        while let action = machine.nextAction() {
            switch action {
            case .deliver(let request):
                steps.append(.deliver("\(request.method) \(request.target)"))
                machine.responseReady(respond(request), now: clock)
            case .send(let head, let body):
                steps.append(.send(status: head.status.code, connection: head.connection, contentLength: head.contentLength, body: String(decoding: body, as: UTF8.self)))
            case .sendContinue: steps.append(.sendContinue)
            case .startStream(let head, _):
                steps.append(.send(status: head.status.code, connection: head.connection, contentLength: head.contentLength, body: ""))
                steps.append(.startStream)
            case .finishStream: steps.append(.finishStream)
            case .pauseReading: steps.append(.pauseReading)
            case .resumeReading: steps.append(.resumeReading)
            case .armTimer(let deadline): steps.append(.arm(seconds: Double(deadline.nanoseconds) / 1_000_000_000))
            case .shutdownWrite: steps.append(.shutdownWrite)
            case .close: steps.append(.close)
            }
        }
        return steps
    }

    mutating func receive(_ text: String) -> [Step] {
        machine.receive(Array(text.utf8), now: clock)
        return drain()
    }

    mutating func fire(at seconds: Double) -> [Step] {
        advance(to: seconds)
        machine.timerFired(now: clock)
        return drain()
    }
}

@Suite struct ConnectionStateMachineTests {
    @Test func armsTheHeaderTimeoutAtStartAndClosesQuietlyIfNothingCame() {
        var harness = MachineHarness()
        #expect(harness.drain() == [.arm(seconds: 10)])
        #expect(harness.fire(at: 10) == [.close])
    }

    @Test func emptyLinesDoNotExtendTheFirstHeaderTimeout() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.advance(to: 9)
        #expect(harness.receive("\r\n") == [])
        #expect(harness.fire(at: 10) == [.close])
    }

    @Test func answers408WhenTheHeadIsLate() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.advance(to: 4)
        #expect(harness.receive("GET / HTTP/1.1\r\nHo") == [])
        // The timer armed for 10 s fires; the head started at 4 s, so it is not due yet.
        #expect(harness.fire(at: 10) == [.arm(seconds: 14)])
        let steps = harness.fire(at: 14)
        #expect(steps.first == .send(status: 408, connection: .close, contentLength: steps.contentLength(0), body: steps.body(0)))
        #expect(steps.body(0).contains("request-timeout"))
        #expect(Array(steps.dropFirst()) == [.shutdownWrite, .arm(seconds: 16)])
        #expect(harness.fire(at: 16) == [.close])
    }

    @Test func closesAnIdleKeepAliveConnection() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.advance(to: 1)
        #expect(harness.receive("GET /a HTTP/1.1\r\nHost: h\r\n\r\n") == [
            .deliver("GET /a"),
            .send(status: 200, connection: .implicit, contentLength: 2, body: "ok"),
        ])
        // Armed at 10 s for the first head; idle runs from the answer at 1 s.
        #expect(harness.fire(at: 10) == [.arm(seconds: 61)])
        #expect(harness.fire(at: 61) == [.close])
    }

    @Test func answers408WhenTheBodyIsLate() {
        var harness = MachineHarness()
        _ = harness.drain()
        _ = harness.receive("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nabc")
        #expect(harness.fire(at: 10) == [.arm(seconds: 30)])
        let steps = harness.fire(at: 30)
        #expect(steps.first?.status == 408)
        #expect(steps.body(0).contains("body"))
    }

    @Test func answersPipelinedRequestsOneAfterAnother() {
        var harness = MachineHarness()
        _ = harness.drain()
        let steps = harness.receive("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(steps == [
            .deliver("GET /1"), .send(status: 200, connection: .implicit, contentLength: 2, body: "ok"),
            .deliver("GET /2"), .send(status: 200, connection: .implicit, contentLength: 2, body: "ok"),
        ])
    }

    @Test func waitsForBlockedOutputBeforeTheNextRequest() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.receive(Array("GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: harness.clock)
        guard case .deliver = harness.machine.nextAction() else {
            Issue.record("expected delivery")
            return
        }
        harness.machine.responseReady(HTTPResponse(status: .noContent), now: harness.clock)
        guard case .send(let head, _) = harness.machine.nextAction() else {
            Issue.record("expected send")
            return
        }
        #expect(head.contentLength == nil)
        // The shell's write did not complete.
        harness.machine.outputBlocked(now: harness.clock)
        #expect(harness.drain() == [.pauseReading])
        harness.advance(to: 1)
        harness.machine.outputDrained(now: harness.clock)
        #expect(harness.drain() == [.resumeReading, .deliver("GET /2"), .send(status: 200, connection: .implicit, contentLength: 2, body: "ok")])
    }

    @Test func closesWhenBlockedOutputStalls() {
        var harness = MachineHarness()
        _ = harness.drain()
        _ = harness.receive("GET /1 HTTP/1.1\r\nHost: h\r\n\r\n")
        harness.advance(to: 5)
        harness.machine.outputBlocked(now: harness.clock)
        #expect(harness.drain() == [.pauseReading])
        #expect(harness.fire(at: 10) == [.arm(seconds: 65)])
        harness.advance(to: 30)
        harness.machine.outputProgressed(now: harness.clock)
        #expect(harness.fire(at: 65) == [.arm(seconds: 90)])
        #expect(harness.fire(at: 90) == [.close])
    }

    @Test func sendsHeadResponsesWithoutBody() {
        var harness = MachineHarness()
        _ = harness.drain()
        #expect(harness.receive("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n") == [
            .deliver("HEAD /x"), .send(status: 200, connection: .implicit, contentLength: 2, body: ""),
        ])
    }

    @Test func startsAStreamAfterItsHeadButNotForHead() {
        let stream = HTTPResponse(status: .ok, body: .stream { _ in })
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.receive(Array("GET /s HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: harness.clock)
        #expect(harness.drain { _ in stream } == [
            .deliver("GET /s"), .send(status: 200, connection: .close, contentLength: nil, body: ""), .startStream,
        ])
        harness.machine.peerClosed(now: harness.clock)
        #expect(harness.drain() == [.close])

        var head = MachineHarness()
        _ = head.drain()
        head.machine.receive(Array("HEAD /s HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: head.clock)
        #expect(head.drain { _ in stream } == [
            .deliver("HEAD /s"), .send(status: 200, connection: .close, contentLength: nil, body: ""), .shutdownWrite, .arm(seconds: 2),
        ])
    }

    @Test func sendsContinueThenReadsTheBody() {
        var harness = MachineHarness()
        _ = harness.drain()
        #expect(harness.receive("PUT / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n") == [.sendContinue])
        #expect(harness.receive("ok") == [.deliver("PUT /"), .send(status: 200, connection: .implicit, contentLength: 2, body: "ok")])
    }

    @Test func answersAProblemThenLingersAndCloses() {
        var harness = MachineHarness()
        _ = harness.drain()
        let steps = harness.receive("GET / HTTP/1.1\r\nX : y\r\n\r\n")
        #expect(steps.first?.status == 400)
        #expect(steps.body(0).contains("malformed-request"))
        #expect(Array(steps.dropFirst()) == [.shutdownWrite, .arm(seconds: 2)])
        // Whatever still comes is discarded; EOF closes.
        #expect(harness.receive("garbage") == [])
        harness.machine.peerClosed(now: harness.clock)
        #expect(harness.drain() == [.close])
    }

    @Test func honoursAResponderAskingToClose() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.receive(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: harness.clock)
        let steps = harness.drain { _ in HTTPResponse(status: .ok, headers: ["Connection": "Close"]) }
        #expect(steps == [.deliver("GET /"), .send(status: 200, connection: .close, contentLength: 0, body: ""), .shutdownWrite, .arm(seconds: 2)])
    }

    @Test func answersBufferedRequestsAfterTheClientHalfCloses() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.receive(Array("GET /a HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: harness.clock)
        harness.machine.peerClosed(now: harness.clock)
        #expect(harness.drain() == [.deliver("GET /a"), .send(status: 200, connection: .close, contentLength: 2, body: "ok"), .close])
    }

    @Test func shutdownGivesAnIdleConnectionItsGraceThenCloses() {
        var idle = MachineHarness()
        _ = idle.drain()
        idle.machine.shutdownRequested(now: idle.clock)
        #expect(idle.drain() == [.arm(seconds: 0.2)])
        // It can only refuse or close now: the streams need not wait for its grace.
        #expect(idle.machine.isSettled)
        #expect(idle.fire(at: 0.2) == [.close])
        #expect(idle.machine.isSettled)
    }

    @Test func shutdownRefusesARequestThatArrivesDuringTheGrace() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.shutdownRequested(now: harness.clock)
        _ = harness.drain()
        let steps = harness.receive("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok")
        guard case .send(status: 503, connection: .close, contentLength: _, body: let body)? = steps.first else {
            Issue.record("expected a 503 first, got \(steps)")
            return
        }
        #expect(body.contains("shutting down"))
        #expect(!steps.contains(.deliver("POST /")))
        #expect(harness.machine.isSettled)
    }

    @Test func shutdownAnswersTheRequestInProgress() {
        var busy = MachineHarness()
        _ = busy.drain()
        _ = busy.receive("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n")
        busy.machine.shutdownRequested(now: busy.clock)
        #expect(busy.drain() == [])
        #expect(!busy.machine.isSettled)
        #expect(busy.receive("ok") == [.deliver("POST /"), .send(status: 200, connection: .close, contentLength: 2, body: "ok"), .shutdownWrite, .arm(seconds: 2)])
        #expect(busy.machine.isSettled)
    }

    @Test func shutdownLeavesStreamsOpenUntilAskedToEndThem() {
        var streaming = MachineHarness()
        _ = streaming.drain()
        streaming.machine.receive(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: streaming.clock)
        _ = streaming.drain { _ in HTTPResponse(status: .ok, body: .stream { _ in }) }
        streaming.machine.shutdownRequested(now: streaming.clock)
        #expect(streaming.drain() == [])
        #expect(streaming.machine.isSettled)
        streaming.machine.endStreamRequested(now: streaming.clock)
        #expect(streaming.drain() == [.finishStream, .shutdownWrite, .arm(seconds: 2)])
    }

    @Test func streamFinishWaitsForQueuedOutput() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.receive(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: harness.clock)
        _ = harness.drain { _ in HTTPResponse(status: .ok, body: .stream { _ in }) }
        harness.machine.streamFinished(outputPending: true, now: harness.clock)
        // The stall deadline (60 s) is later than the timer still armed for 10 s: no change.
        #expect(harness.drain() == [])
        #expect(harness.fire(at: 10) == [.arm(seconds: 60)])
        harness.machine.outputDrained(now: harness.clock)
        #expect(harness.drain() == [.shutdownWrite, .arm(seconds: 12)])
        #expect(harness.fire(at: 12) == [.close])
    }

    @Test func aStreamHasNoDeadlineAndATimerDroppedDuringItIsArmedAgainAfter() {
        var harness = MachineHarness()
        _ = harness.drain()
        harness.machine.receive(Array("GET / HTTP/1.1\r\nHost: h\r\n\r\n".utf8), now: harness.clock)
        _ = harness.drain { _ in HTTPResponse(status: .ok, body: .stream { _ in }) }
        #expect(!harness.machine.hasDeadline)
        harness.machine.timerDropped()
        harness.advance(to: 5)
        harness.machine.streamFinished(outputPending: true, now: harness.clock)
        // No timer is armed now, so the stall deadline arms one at once.
        #expect(harness.machine.hasDeadline)
        #expect(harness.drain() == [.arm(seconds: 65)])
    }

    @Test func holdsNoReadBufferWhileWaiting() {
        var harness = MachineHarness()
        _ = harness.drain()
        _ = harness.receive("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(harness.machine.parser.buffer.capacity == 0)
        // Part of the next request line stays buffered until the rest comes.
        _ = harness.receive("GET /ne")
        #expect(harness.machine.parser.bufferedByteCount == 7)
        #expect(harness.receive("xt HTTP/1.1\r\nHost: h\r\n\r\n").contains(.deliver("GET /next")))
        #expect(harness.machine.parser.buffer.capacity == 0)
    }
}

extension Step {
    var status: Int? {
        if case .send(let status, _, _, _) = self { return status }
        return nil
    }
}

extension [Step] {
    func body(_ index: Int) -> String {
        if case .send(_, _, _, let body) = self[index] { return body }
        return ""
    }

    func contentLength(_ index: Int) -> Int? {
        if case .send(_, _, let length, _) = self[index] { return length }
        return nil
    }
}
