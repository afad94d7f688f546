import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// No client can exhaust the server: a server process (memory store, rate limits off, as a
/// flood from many addresses would meet it) is flooded for a bounded time with 4,000-character
/// posts, sign-ups, lobbies and streams that never read, from several clients at once. Its RSS
/// stays under the configured budget plus a stated overhead, and a well-behaved client keeps
/// being answered promptly all along.
@Suite struct FloodTests {
    static let floodSeconds = 6.0
    static let retainedMiB = 24
    /// What the process needs beyond the message budget: its baseline (~15 MiB), the capped
    /// users (4,000) and lobbies (400), connection buffers and allocator slack.
    static let overheadMiB = 96

    @Test func aFloodFromSeveralClientsStaysInItsBudgetAndAPoliteClientIsServed() throws {
        let server = try ServerProcess([
            "--retained-messages-mib", String(Self.retainedMiB), "--max-users", "4000", "--max-lobbies", "400",
            "--max-streams-per-user", "50", "--max-stream-output-bytes", "65536",
        ])
        let pid = server.process.processIdentifier
        let port = server.port
        // Each flooding client on a loopback address of its own (127.0.0.10 …), the polite one on
        // 127.0.0.1: the per-client bounds keep the flood's streams and connections its own.
        @Sendable func api(_ client: Int) -> ChatServerAt { ChatServerAt(port: port, source: "127.0.0.\(10 + client)") }
        let until = Date().addingTimeInterval(Self.floodSeconds)
        let counts = Mutex([Int: Int]())  // flood answers by status
        let group = DispatchGroup()
        let note: @Sendable (Int) -> Void = { status in counts.withLock { $0[status, default: 0] += 1 } }

        for poster in 0..<3 {
            Thread.detachNewThread(inGroup: group) {
                Self.flood(port: port, source: api(poster).source, until: until, note: note) { client in
                    let (room, userId) = try api(poster).makeMember("poster\(poster)")
                    let long = String(repeating: "\(poster)", count: 4000)
                    var posted = 0
                    var current = room
                    while Date() < until {
                        posted += 1
                        if posted.isMultiple(of: 400), let next = try? api(poster).makeLobby() {
                            _ = try? api(poster).join(next, userId)
                            current = next
                        }
                        note(try client.post(current, userId, long))
                    }
                }
            }
        }
        Thread.detachNewThread(inGroup: group) {
            Self.flood(port: port, source: api(3).source, until: until, note: note) { client in
                while Date() < until { note(try client.send("POST", "/chat/user", #"{"name":"flood"}"#)) }
            }
        }
        Thread.detachNewThread(inGroup: group) {
            Self.flood(port: port, source: api(4).source, until: until, note: note) { client in
                while Date() < until { note(try client.send("POST", "/chat", "{}")) }
            }
        }
        let idleStreams = Mutex([UncheckedStream]())
        Thread.detachNewThread(inGroup: group) {
            guard let (room, userId) = try? api(5).makeMember("lurker") else { return }
            while Date() < until {
                // Streams that never read: each is cut once its unsent output passes 64 KiB.
                guard let stream = try? api(5).openStream(room, userId: userId, receiveBuffer: 4096) else { continue }
                note(stream.head.status)
                idleStreams.withLock { $0.append(UncheckedStream(reader: stream)) }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        // The polite client: a post and a read of it every 100 ms, each timed.
        let (room, polite) = try server.makeMember("polite")
        let stream = try server.openStream(room, userId: polite)
        var latencies: [Double] = []
        var failures: [String] = []
        var peakKiB = 0
        while Date() < until {
            let started = Date()
            let response = try server.post(room, polite, "hello")
            if response.status != 201 { failures.append("post: \(response.status)") }
            if try stream.next()?.type != "message" { failures.append("the stream did not deliver the post") }
            latencies.append(Date().timeIntervalSince(started))
            peakKiB = max(peakKiB, Self.residentKiB(of: pid) ?? 0)
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(group.wait(timeout: .now() + 30) == .success)
        peakKiB = max(peakKiB, Self.residentKiB(of: pid) ?? 0)
        let answered = counts.withLock { $0 }
        let sorted = latencies.sorted()
        let median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        print("Flood: \(answered.values.reduce(0, +)) flood answers in \(Self.floodSeconds) s by status \(answered.sorted { $0.key < $1.key }); "
            + "peak RSS \(peakKiB / 1024) MiB (budget \(Self.retainedMiB) MiB + \(Self.overheadMiB) MiB); "
            + "polite client: \(latencies.count) round trips, median \(Int(median * 1000)) ms, max \(Int((sorted.last ?? 0) * 1000)) ms")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(peakKiB > 0, "RSS is read from /proc")
        #expect(peakKiB < (Self.retainedMiB + Self.overheadMiB) * 1024)
        #expect((sorted.last ?? 9) < 2, "every polite round trip within 2 s")
        #expect(answered[201, default: 0] > 1000, "the flood really posted")
        #expect(answered[503, default: 0] > 0, "the caps were met")
        idleStreams.withLock { $0.forEach { $0.reader.close() } }
    }

    /// Runs one flooding client until `until`, reconnecting after any failure.
    private static func flood(
        port: Int, source: String?, until: Date, note: @Sendable (Int) -> Void, _ body: (KeepAliveClient) throws -> Void
    ) {
        while Date() < until {
            guard let client = try? KeepAliveClient(port: port, source: source) else { continue }
            try? body(client)
        }
    }

    /// The resident set of process `pid`, from `/proc/PID/status`.
    static func residentKiB(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return Int(line.split(separator: " ").dropFirst().first ?? "")
    }
}

/// Requests on one kept-alive connection, as a flooding client sends them.
final class KeepAliveClient {
    let connection: TestConnection

    init(port: Int, source: String? = nil) throws {
        connection = try TestConnection(port: port, source: source)
    }

    /// Sends one request and returns the answer's status.
    func send(_ method: String, _ target: String, _ json: String, authorization: String? = nil) throws -> Int {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\n"
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        try connection.send(head + "\r\n" + json)
        return try connection.readResponse().status
    }

    /// Posts `message` as `userId` with its token.
    func post(_ room: String, _ userId: String, _ message: String) throws -> Int {
        try send("POST", "/chat/\(room)/message", #"{"userId":"\#(userId)","message":"\#(message)"}"#, authorization: TestTokens.bearer(of: userId))
    }
}

/// A server on loopback known only by its port, which any thread may use, as the client at
/// `source` (nil: 127.0.0.1).
struct ChatServerAt: ChatServerClient, Sendable {
    let port: Int
    var source: String? = nil
}

/// A stream kept open by one thread and closed by another once that one is done.
struct UncheckedStream: @unchecked Sendable {
    // Handed over under the mutex that holds it; only closed after the flooding thread ended.
    let reader: EventStreamReader
}
