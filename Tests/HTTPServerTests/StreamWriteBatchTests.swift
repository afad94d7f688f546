import Dispatch
import EventLoop
import Testing
@testable import HTTPServer

/// Rounds of writes to many streams through `StreamWriteBatch`, over real sockets, each way of
/// sending: every byte arrives once and in order, also where a socket was full and the rest
/// queued behind a batched send, and where peers go away in the middle.
@Suite struct StreamWriteBatchTests {
    /// Frame `round` of the test: numbered, padded to `size` bytes.
    private static func frame(_ round: Int, size: Int) -> [UInt8] {
        let head = Array("round \(round)\n".utf8)
        return head + [UInt8](repeating: UInt8(ascii: "."), count: size - head.count - 1) + [UInt8(ascii: "\n")]
    }

    /// Opens `count` streams; every third client shrinks its receive buffer, so its socket fills.
    private static func openStreams(_ count: Int, on server: HTTPServer, recorder: StreamRecorder) throws -> [RawClient] {
        let clients = try (0..<count).map { index in
            let client = try RawClient(port: server.port, receiveBuffer: index % 3 == 0 ? 4096 : nil)
            client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
            _ = try client.read(until: "hello\n")
            return client
        }
        #expect(eventually { recorder.streams.value.count == count })
        return clients
    }

    @Test(arguments: StreamSends.allCases)
    func roundsArriveWholeAndInOrderWithSomeSocketsFull(sends: StreamSends) throws {
        let recorder = StreamRecorder()
        try withServer(limits: makeTestLimits(maxStreamOutputBytes: 8 << 20), responder: recorder) { server in
            let clients = try Self.openStreams(12, on: server, recorder: recorder)
            let streams = recorder.streams.value
            var expected: [UInt8] = []
            // 4 MiB per stream, none read meanwhile: more than loopback's socket buffers hold
            // (about 2.7 MB here with a 4 KiB receive buffer).
            for round in 0..<256 {
                let frame = Self.frame(round, size: 16 * 1024)
                let batch = StreamWriteBatch(sends: sends)
                for stream in streams { batch.write(frame, to: stream) }
                batch.flush()
                expected += frame
                // A plain write after a batch goes behind it.
                if round % 10 == 0 {
                    let marker = Array("plain \(round)\n".utf8)
                    for stream in streams { stream.write(marker) }
                    expected += marker
                }
            }
            // Some sockets took only part of a send, or none, and the rest was queued.
            #expect(streams.contains { (($0 as? ConnectionOutput)?.queuedByteCount ?? 0) > 0 })
            for client in clients {
                let received = try client.readStream(atLeast: expected.count, timeout: .seconds(20))
                #expect(received.count == expected.count)
                #expect(received == expected)
            }
            #expect(streams.allSatisfy { !$0.isClosed })
        }
    }

    @Test(arguments: [StreamSends.ioUring, .ioUringSQPoll])
    func peersThatGoAwayMidRoundsDoNotDisturbTheOthers(sends: StreamSends) throws {
        let recorder = StreamRecorder()
        try withServer(limits: makeTestLimits(maxStreamOutputBytes: 8 << 20), responder: recorder) { server in
            var clients = try Self.openStreams(30, on: server, recorder: recorder)
            let streams = recorder.streams.value
            let staying = clients.indices.filter { $0 % 2 == 0 }.map { clients[$0] }
            for index in clients.indices where index % 2 == 1 { clients[index].resetOnClose() }
            var expected: [UInt8] = []
            for round in 0..<200 {
                if round == 50 {
                    // Half go away (a reset): the server learns it from failed sends and from
                    // epoll on its own threads while the rounds go on, and closes their
                    // descriptors only after any batched send that names them.
                    clients = staying
                }
                let frame = Self.frame(round, size: 1024)
                let batch = StreamWriteBatch(sends: sends)
                for stream in streams { batch.write(frame, to: stream) }
                batch.flush()
                expected += frame
            }
            for client in staying {
                #expect(try client.readStream(atLeast: expected.count, timeout: .seconds(20)) == expected)
            }
            #expect(eventually { server.connectionCount == staying.count })
            #expect(streams.filter(\.isClosed).count == streams.count - staying.count)
        }
    }

    @Test func aRingTheKernelRefusesIsAnErrorNotACrash() {
        // Zero entries is invalid everywhere io_uring exists; where it does not, setup fails too.
        #expect(throws: SystemError.self) { try SendRing(entries: 0, polling: false) }
        // A batch without a ring writes each stream as a plain write does.
        #expect(!StreamWriteBatch(sends: .send).isBatching)
    }
}
