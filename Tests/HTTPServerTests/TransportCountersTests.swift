import Dispatch
import Testing
@testable import HTTPServer

/// `HTTPServer.counters`: what the transport reports to an application's metrics.
@Suite struct TransportCountersTests {
    @Test func connectionsAndBytesWrittenAreCountedAsTheClientReceivesThem() throws {
        try withServer { server in
            #expect(server.counters.snapshot == TransportCounters.Snapshot(
                connectionsAccepted: 0, bytesWritten: 0, streamsStarted: 0, streamsEnded: 0, streamsCutForSlowReading: 0))
            let client = try RawClient(port: server.port)
            client.send("GET /one HTTP/1.1\r\nHost: h\r\n\r\nGET /two HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
            let first = try client.readResponse()
            let second = try client.readResponse()
            #expect(first.status == 200 && second.status == 200)
            #expect(client.waitForClose())
            let received = client.receivedByteCount
            #expect(eventually { server.counters.snapshot.bytesWritten == received })
            #expect(server.counters.snapshot.connectionsAccepted == 1)
            #expect(server.counters.snapshot.streamsStarted == 0)
        }
    }

    @Test func aStreamIsOpenUntilItsConnectionClosesAndASlowReaderIsCountedWhenCut() throws {
        let recorder = StreamRecorder()
        try withServer(limits: makeTestLimits(maxStreamOutputBytes: 64 * 1024), responder: recorder) { server in
            // One after the other, so the streams are recorded in this order.
            let stalled = try RawClient(port: server.port, receiveBuffer: 4096)
            stalled.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(eventually { recorder.streams.value.count == 1 })
            var reader: RawClient? = try RawClient(port: server.port)
            reader?.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(eventually { recorder.streams.value.count == 2 })
            #expect(server.counters.snapshot.streamsOpen == 2)
            #expect(server.counters.snapshot.streamsCutForSlowReading == 0)

            // The stalled one never reads: 8 KiB pieces until the 64 KiB limit cuts it.
            let stalledStream = recorder.streams.value[0]
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 8192)
            for _ in 0..<4096 where !stalledStream.isClosed { stalledStream.write(chunk) }
            #expect(eventually { server.counters.snapshot.streamsCutForSlowReading == 1 })
            #expect(eventually { server.counters.snapshot.streamsOpen == 1 })

            // The reader goes away; writing to its stream makes the server notice at the latest.
            let readerStream = recorder.streams.value[1]
            reader = nil  // closes the socket
            #expect(eventually {
                readerStream.write(Array("more\n".utf8))
                return server.counters.snapshot.streamsOpen == 0
            })
            #expect(server.counters.snapshot.streamsStarted == 2)
            #expect(server.counters.snapshot.streamsCutForSlowReading == 1)
            recorder.forget()
        }
    }
}
