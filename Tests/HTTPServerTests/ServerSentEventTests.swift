import Dispatch
import Testing
@testable import HTTPServer

@Suite struct ServerSentEventTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func framesDataLineByLine() {
        #expect(text(ServerSentEvent.frame(id: "7", data: "{\"a\":1}")) == "id: 7\ndata: {\"a\":1}\n\n")
        #expect(text(ServerSentEvent.frame(id: nil, event: "join", data: "one\ntwo\r\nthree\rfour"))
            == "event: join\ndata: one\ndata: two\ndata: three\ndata: four\n\n")
        #expect(text(ServerSentEvent.frame(id: nil, data: "")) == "data: \n\n")
        #expect(text(ServerSentEvent.frame(id: nil, data: "trailing\n")) == "data: trailing\ndata: \n\n")
        #expect(text(ServerSentEvent.frame(id: "a\nb", event: "x\ry", data: "d")) == "id: ab\nevent: xy\ndata: d\n\n")
    }

    @Test(arguments: [#"{"a":"b\nc","d":[1]}"#, "", "two\nlines\r\nand\rmore", "id\u{0}"])
    func framesBytesAsItFramesText(data: String) {
        #expect(ServerSentEvent.frame(id: "7", utf8: Array(data.utf8)) == ServerSentEvent.frame(id: "7", data: data))
        #expect(ServerSentEvent.frame(id: nil, utf8: Array(data.utf8)) == ServerSentEvent.frame(id: nil, data: data))
    }

    @Test func framesCommentsAndRetry() {
        #expect(text(ServerSentEvent.comment("ping")) == ": ping\n\n")
        #expect(text(ServerSentEvent.comment("a\nb")) == ": a\n: b\n\n")
        #expect(text(ServerSentEvent.retry(milliseconds: 3000)) == "retry: 3000\n\n")
    }

    @Test func opensWithRetryAndACommentThenCarriesEvents() throws {
        let streams = Captured<[any ResponseStream]>([])
        let responder = ClosureResponder { _ in
            .eventStream(headers: ["X-Extra": "1"], retryMilliseconds: 3000, heartbeat: nil) { stream in
                streams.update { $0.append(stream) }
            }
        }
        try withServer(responder: responder) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /events HTTP/1.1\r\nHost: h\r\n\r\n")
            let head = try client.read(until: "\r\n\r\n")
            #expect(head.contains("Content-Type: text/event-stream\r\n"))
            #expect(head.contains("Cache-Control: no-store\r\n"))
            #expect(head.contains("X-Accel-Buffering: no\r\n"))
            #expect(head.contains("X-Extra: 1\r\n"))
            #expect(try client.read(until: "\n\n") == "retry: 3000\n: connected\n\n")
            #expect(eventually { streams.value.count == 1 })
            streams.value[0].write(ServerSentEvent.frame(id: "1", data: "line one\nline two"))
            #expect(try client.read(until: "\n\n") == "id: 1\ndata: line one\ndata: line two\n\n")
            streams.value[0].finish()
            #expect(client.waitForClose())
        }
    }

    @Test func sendsAHeartbeatOnlyWhenQuiet() throws {
        let streams = Captured<[any ResponseStream]>([])
        let responder = ClosureResponder { _ in
            .eventStream(retryMilliseconds: nil, heartbeat: .milliseconds(100)) { stream in
                streams.update { $0.append(stream) }
            }
        }
        try withServer(responder: responder) { server in
            let client = try RawClient(port: server.port)
            // Timed from the request, not from reading the head: a loaded machine can wake this
            // thread late, but the ping cannot come sooner than its heartbeat after the stream opened.
            let started = ContinuousClock.now
            client.send("GET /events HTTP/1.1\r\nHost: h\r\n\r\n")
            _ = try client.read(until: ": connected\n\n")
            #expect(try client.read(until: "\n\n", timeout: .seconds(2)) == ": ping\n\n")
            #expect(ContinuousClock.now - started >= .milliseconds(80))
            #expect(eventually { streams.value.count == 1 })
            let weak = try checkQuietPeriodAndClose(client: client, streams: streams)
            streams.value = []
            #expect(eventually { weak.isReleased })
        }
    }

    /// Writes events faster than the heartbeat and checks no ping slips in, then closes the
    /// peer and checks the timer stops; returns a weak reference to the heartbeat stream.
    private func checkQuietPeriodAndClose(client: RawClient, streams: Captured<[any ResponseStream]>) throws -> WeakBox {
        let stream = streams.value[0]
        let writer = DispatchQueue(label: "events")
        let done = DispatchSemaphore(value: 0)
        let longestGap = Captured<Duration>(.zero)
        writer.async {
            var last = ContinuousClock.now
            for index in 0..<30 {
                stream.write(ServerSentEvent.frame(id: "\(index)", data: "e"))
                let now = ContinuousClock.now
                longestGap.update { $0 = max($0, now - last) }
                last = now
                usleepMilliseconds(10)
            }
            done.signal()
        }
        let received = try client.read(until: "id: 29\ndata: e\n\n")
        done.wait()
        // A ping is due only after a quiet heartbeat (100 ms); a machine that stalled the writer
        // that long may send one rightly, so the check holds when the writes kept their pace.
        if longestGap.value < .milliseconds(80) {
            #expect(!received.contains("ping"))
        }
        #expect(received.hasSuffix("id: 29\ndata: e\n\n"))

        let heartbeat = try #require(stream as? HeartbeatStream)
        #expect(heartbeat.isHeartbeatActive)
        client.shutdownWrite()
        #expect(client.waitForClose())
        #expect(eventually { stream.isClosed })
        #expect(!heartbeat.isHeartbeatActive)
        return WeakBox(heartbeat)
    }
}
