import Dispatch
import EventLoop
import Testing
@testable import HTTPServer

/// A responder whose `/stream` route hands each stream to the test.
final class StreamRecorder: HTTPResponder, Sendable {
    let streams = Captured<[any ResponseStream]>([])
    let closes = Captured(0)
    let opened = Captured(0)

    func respond(to request: HTTPRequest) -> HTTPResponse {
        guard request.path == "/stream" else { return echoResponder.respond(to: request) }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .stream { [self] stream in
            opened.update { $0 += 1 }
            stream.onClose { [self] in closes.update { $0 += 1 } }
            stream.write(Array("hello\n".utf8))
            streams.update { $0.append(stream) }
        })
    }

    /// Drops the test's references to the streams.
    func forget() { streams.value = [] }
}

@Suite struct StreamTests {
    @Test func sendsTheHeadThenWhatTheWriterWrites() throws {
        let recorder = StreamRecorder()
        try withServer(responder: recorder) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            let head = try client.read(until: "\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(head.contains("Connection: close\r\n"))
            #expect(!head.contains("Content-Length"))
            #expect(try client.read(until: "hello\n") == "hello\n")
            #expect(eventually { recorder.streams.value.count == 1 })
            let stream = recorder.streams.value[0]
            DispatchQueue.global().async { stream.write(Array("from another thread\n".utf8)) }
            #expect(try client.read(until: "thread\n") == "from another thread\n")
            stream.finish()
            #expect(stream.isClosed)
            #expect(recorder.closes.value == 1)
            #expect(client.waitForClose())
            stream.write(Array("ignored".utf8))
        }
    }

    @Test func writerLearnsThatThePeerWentAway() throws {
        let recorder = StreamRecorder()
        try withServer(responder: recorder) { server in
            do {
                let client = try RawClient(port: server.port)
                client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
                _ = try client.read(until: "hello\n")
            }
            #expect(eventually { recorder.closes.value == 1 })
            #expect(recorder.streams.value.first?.isClosed == true)
            #expect(eventually { server.connectionCount == 0 })
            // A handler added after the close runs at once.
            let late = Captured(false)
            recorder.streams.value.first?.onClose { late.value = true }
            #expect(late.value)
        }
    }

    @Test func closedStreamsAreReleased() throws {
        let recorder = StreamRecorder()
        try withServer(responder: recorder) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            _ = try client.read(until: "hello\n")
            #expect(eventually { recorder.streams.value.count == 1 })
            let weak = WeakBox(recorder.streams.value[0])
            recorder.streams.value[0].finish()
            #expect(client.waitForClose())
            #expect(eventually { server.connectionCount == 0 })
            recorder.forget()
            #expect(eventually { weak.isReleased })
        }
    }

    @Test func headToAStreamSendsTheHeadWithoutRunningTheStream() throws {
        let recorder = StreamRecorder()
        try withServer(responder: recorder) { server in
            let client = try RawClient(port: server.port)
            client.send("HEAD /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            let head = try client.readResponse(isHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == nil)
            #expect(client.waitForClose())
            #expect(recorder.opened.value == 0)
        }
    }

    @Test func peersThatResetWhileTheirOutputIsBlockedAreClosedAndTheServerServesOn() throws {
        // A reset socket reports a hang-up while the server watches it for writing: the case
        // that crashed Dispatch sources (see `SocketWatcher`).
        let responder = ClosureResponder { request in
            guard request.path == "/big" else { return echoResponder.respond(to: request) }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .stream { stream in
                let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
                for _ in 0..<8 where !stream.isClosed { stream.write(chunk) }
            })
        }
        try withServer(responder: responder) { server in
            for index in 0..<300 {
                let client = try RawClient(port: server.port, receiveBuffer: 4096)
                client.send("GET /big HTTP/1.1\r\nHost: h\r\n\r\n")
                let received = try client.readStream(atLeast: 1, timeout: .seconds(2))
                #expect(!received.isEmpty, "case \(index)")
                client.resetOnClose()
            }
            #expect(eventually { server.connectionCount == 0 })
            let good = try RawClient(port: server.port)
            good.send("GET /ping HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try good.readResponse().text == "pong")
        }
    }

    @Test func aReaderThatStopsIsCutOffWhileAnotherStreamFlows() throws {
        let limit = 64 * 1024
        let recorder = StreamRecorder()
        let limits = makeTestLimits(maxStreamOutputBytes: limit)
        try withServer(limits: limits, responder: recorder) { server in
            // The stalled reader: a tiny receive buffer, and it never reads.
            let stalled = try RawClient(port: server.port, receiveBuffer: 4096)
            stalled.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(eventually { recorder.streams.value.count == 1 })
            let flowing = try RawClient(port: server.port)
            flowing.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(eventually { recorder.streams.value.count == 2 })
            let streams = recorder.streams.value
            let stalledStream = streams[0]
            let flowingStream = streams[1]
            let stalledClosed = Captured(false)
            stalledStream.onClose { stalledClosed.value = true }

            // The stalled stream gets 8 KiB pieces until it is cut off (32 MiB at most).
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 8192)
            DispatchQueue(label: "stalled writer").async {
                for _ in 0..<4096 where !stalledStream.isClosed { stalledStream.write(chunk) }
            }
            // The flowing one gets 1 MiB, never more than 32 KiB ahead of its reader.
            let total = 1024 * 1024
            let received = Captured(0)
            DispatchQueue(label: "flowing writer").async {
                var sent = 0
                let deadline = ContinuousClock.now + .seconds(10)
                while sent < total, !flowingStream.isClosed, ContinuousClock.now < deadline {
                    if sent - received.value > 32 * 1024 {
                        usleepMilliseconds(1)
                        continue
                    }
                    flowingStream.write(chunk)
                    sent += chunk.count
                }
            }
            while received.value < total {
                let bytes = try flowing.readStream(atLeast: 1, timeout: .seconds(3))
                if bytes.isEmpty { break }
                received.update { $0 += bytes.count }
            }
            #expect(eventually(timeout: .seconds(5)) { stalledClosed.value })
            #expect(stalledStream.isClosed)
            // The flowing stream outlived the stalled one and still delivers.
            #expect(!flowingStream.isClosed)
            flowingStream.write(Array("after\n".utf8))
            _ = try flowing.read(until: "after\n", timeout: .seconds(3))
            flowingStream.finish()
            // The head and "hello" came first, then every byte written.
            #expect(received.value >= total)
        }
    }
}
