import Dispatch
import HTTPServer
import Testing

/// The unsent bytes of ordinary responses count against a per-connection and a server-wide
/// budget, like a stream's output limit: a client that asks and never reads is closed, and
/// the server goes on serving everyone else. Over real sockets.
@Suite struct OutputBudgetTests {
    /// Answers `/big` with 16 MiB (more than the kernel's socket buffers take, so most of it
    /// stays queued for a client that does not read), `/medium` with 4 MiB, anything else `ok`.
    static let bigResponder = ClosureResponder { request in
        let size = switch request.path {
        case "/big": 16 << 20
        case "/medium": 4 << 20
        default: 0
        }
        guard size > 0 else { return HTTPResponse(status: .ok, contentType: "text/plain", text: "ok") }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: .bytes([UInt8](repeating: 7, count: size)))
    }

    @Test func aResponseLargerThanItsBudgetToAClientThatDoesNotReadClosesTheConnection() throws {
        let limits = makeTestLimits(maxResponseOutputBytes: 512 * 1024)
        try withServer(limits: limits, responder: Self.bigResponder) { server in
            let stalled = try RawClient(port: server.port, receiveBuffer: 4096)
            stalled.send("GET /big HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(stalled.waitForClose(timeout: .seconds(5)), "the connection holding megabytes unsent is closed")
            let other = try RawClient(port: server.port)
            other.send("GET /small HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try other.readResponse().status == 200)
        }
    }

    @Test func aReadingClientGetsAResponseWithinItsBudgetWhole() throws {
        try withServer(limits: makeTestLimits(), responder: Self.bigResponder) { server in
            let client = try RawClient(port: server.port)
            client.send("GET /medium HTTP/1.1\r\nHost: h\r\n\r\n")
            let response = try client.readResponse(timeout: .seconds(10))
            #expect(response.status == 200)
            #expect(response.body.count == 4 << 20)
        }
    }

    @Test func clientsThatDoNotReadCannotTogetherPassTheServersBudget() throws {
        // Each stalled client stays under its own 64 MiB, but two of them pass 16 MiB in all
        // (whatever part of its 16 MiB the kernel takes into its buffers).
        let limits = makeTestLimits(maxResponseOutputBytes: 64 << 20, maxTotalOutputBytes: 16 << 20)
        try withServer(limits: limits, responder: Self.bigResponder) { server in
            let stalled = try (0..<2).map { _ in try RawClient(port: server.port, receiveBuffer: 4096) }
            for client in stalled { client.send("GET /big HTTP/1.1\r\nHost: h\r\n\r\n") }
            // The last to queue is the one that passes the budget, so it is looked at first.
            #expect(stalled.reversed().contains { $0.waitForClose(timeout: .seconds(5)) }, "one of them is closed")
            let other = try RawClient(port: server.port)
            other.send("GET /small HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try other.readResponse().status == 200)
        }
    }
}
