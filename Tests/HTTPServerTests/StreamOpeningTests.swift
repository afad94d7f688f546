import Foundation
import Testing
@testable import HTTPServer

/// What a stream's closure sets up is in place before the client can see the stream open:
/// otherwise a client that reacts to the head (say, by causing an event) can miss what it caused.
@Suite struct StreamOpeningTests {
    @Test func theHeadLeavesOnlyAfterTheStreamClosureHasRun() throws {
        let ready = Captured(false)
        let responder = ClosureResponder { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/event-stream"], body: .stream { stream in
                Thread.sleep(forTimeInterval: 0.2)  // a slow setup
                ready.update { $0 = true }
                stream.write(Array("data: first\n\n".utf8))
            })
        }
        try withServer(responder: responder) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /events HTTP/1.1\r\nHost: h\r\n\r\n")
            let head = try client.read(until: "\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 200"))
            #expect(ready.value, "the head arrived before the stream's closure finished")
            #expect(try client.read(until: "\n\n") == "data: first\n\n")
        }
    }

    /// A stream ended by its own closure, before its head has left (the chat's stream of a user
    /// who left before it was admitted): the client still gets the head and what was written,
    /// then the end; the finish is not lost.
    @Test func aStreamFinishedBeforeItsHeadLeftStillSendsItThenEnds() throws {
        let responder = ClosureResponder { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/event-stream"], body: .stream { stream in
                stream.write(Array("data: last\n\n".utf8))
                stream.finish()
            })
        }
        try withServer(responder: responder) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /events HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try client.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 200"))
            #expect(try client.read(until: "\n\n") == "data: last\n\n")
            #expect(client.waitForClose())
        }
    }
}
