import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// No client can lock the others out: a server process with its default per-client bounds is
/// flooded from other loopback addresses — silent connections from twenty addresses (past the
/// connection cap), connections with half a head and streams through as many users as one
/// address may sign up from 127.0.0.2, then bodies parked unfinished — while a polite client on
/// 127.0.0.1 posts and reads its post back every 20 ms. It is never answered 503, its p99 stays
/// under 50 ms, and the server's RSS comes back near where it started once the flood has gone.
///
/// The p99 bound holds where the test has the machine to itself and the server: run alone with
/// `CLIENT_FLOOD_ALONE=1` (`.ci/run` does: `CLIENT_FLOOD_ALONE=1 swift test --skip-build --filter
/// ClientFloodTests`). Inside the whole parallel suite other tests take the two cores, so there it
/// checks that every round trip is answered within a second.
@Suite(.serialized) struct ClientFloodTests {
    /// The connection cap, small so twenty addresses pass it.
    static let maxConnections = 300

    @Test func aFloodFromOtherAddressesLeavesAPoliteClientServed() throws {
        Self.raiseOpenFileLimit()
        let server = try ServerProcess([
            "--max-connections", String(Self.maxConnections), "--rate-signups", "2:30", "--rate-lobbies", "2:30",
        ])
        let pid = server.process.processIdentifier
        let (room, polite) = try server.makeMember("polite")
        let stream = try server.openStream(room, userId: polite)
        Thread.sleep(forTimeInterval: 0.3)
        let beforeKiB = FloodTests.residentKiB(of: pid) ?? 0

        let report = Mutex([String]())
        let done = Atomic(false)
        let held = HeldConnections()
        let port = server.port
        Thread.detachNewThread {
            defer { done.store(true, ordering: .relaxed) }
            report.withLock { $0.append(Self.floodConnections(port: port, held: held)) }
            report.withLock { $0.append(Self.floodStreams(port: port, held: held)) }
            report.withLock { $0.append(Self.parkBodies(port: port, held: held)) }
        }

        var latencies: [Double] = []
        var failures: [String] = []
        var peakKiB = beforeKiB
        let deadline = Date().addingTimeInterval(60)
        while !done.load(ordering: .relaxed), Date() < deadline {
            let started = Date()
            let response = try server.post(room, polite, "hello")
            if response.status != 201 { failures.append("post: \(response.status)") }
            if try stream.next()?.type != "message" { failures.append("the stream did not deliver the post") }
            latencies.append(Date().timeIntervalSince(started))
            peakKiB = max(peakKiB, FloodTests.residentKiB(of: pid) ?? 0)
            Thread.sleep(forTimeInterval: 0.02)
        }
        let floodHeld = held.openCount()
        held.closeAll()
        Thread.sleep(forTimeInterval: 2)
        let afterKiB = FloodTests.residentKiB(of: pid) ?? 0
        let sorted = latencies.sorted()
        let p99 = sorted.isEmpty ? 9 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]
        print("Client flood: \(report.withLock { $0 }.joined(separator: "; ")); \(floodHeld) flood connections held at the end. "
            + "Polite client (127.0.0.1): \(latencies.count) round trips, median \(Self.ms(sorted.isEmpty ? 0 : sorted[sorted.count / 2])) ms, "
            + "p99 \(Self.ms(p99)) ms, max \(Self.ms(sorted.last ?? 0)) ms, \(failures.count) failures. "
            + "RSS before \(beforeKiB / 1024) MiB, peak \(peakKiB / 1024) MiB, after \(afterKiB / 1024) MiB; load average \(Self.loadAverage())")
        let ended = done.load(ordering: .relaxed)
        #expect(ended, "the flood ended within a minute")
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(latencies.count > 200)
        // 50 ms on a machine of its own; on one busy with other work (a load average above
        // its cores) the scheduler's delays are not the server's, and 250 ms is the bound.
        // Among the suite's other tests, a second.
        let alone = ProcessInfo.processInfo.environment["CLIENT_FLOOD_ALONE"] == "1"
        let busy = Self.loadAverage() > Double(ProcessInfo.processInfo.activeProcessorCount)
        #expect(p99 < (alone ? (busy ? 0.25 : 0.05) : 1), "the polite client's p99 (alone: \(alone), busy machine: \(busy))")
        #expect(peakKiB - beforeKiB < 64 * 1024, "the flood grew RSS by less than 64 MiB")
        #expect(afterKiB - beforeKiB < 24 * 1024, "RSS came back within 24 MiB of its start")
    }

    /// Bodies parked from forty addresses (2,400 connections, each 60,000 bytes of a 64 KiB
    /// body, 140 MiB in all) meet the 64 MiB budget for bodies in flight: RSS stays near budget
    /// plus the connections, and comes back near its start once they have gone.
    @Test func parkedBodiesStayInTheirBudgetAndTheirMemoryComesBack() throws {
        Self.raiseOpenFileLimit()
        let server = try ServerProcess([])
        let pid = server.process.processIdentifier
        Thread.sleep(forTimeInterval: 0.3)
        let beforeKiB = FloodTests.residentKiB(of: pid) ?? 0
        let held = HeldConnections()
        let head = "POST /chat/user HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n"
        let bytes = Array(head.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 60_000)
        var parked = 0
        for address in 2...41 {
            for _ in 0..<60 {
                guard let connection = try? TestConnection(port: server.port, source: "127.0.0.\(address)", timeout: .milliseconds(200)),
                    (try? connection.send(bytes)) != nil
                else { continue }
                parked += 1
                held.add(connection)
            }
        }
        // The refusals close their connections; a loaded server may take a while to answer them all.
        _ = eventuallyTrue(timeout: 10) { held.openCount() < parked }
        Thread.sleep(forTimeInterval: 0.5)
        let peakKiB = FloodTests.residentKiB(of: pid) ?? 0
        let open = held.openCount()
        held.closeAll()
        // The transport releases memory within about 2 s of a crowd leaving.
        Thread.sleep(forTimeInterval: 4)
        let afterKiB = FloodTests.residentKiB(of: pid) ?? 0
        print("Parked bodies: \(parked) connections from 40 addresses, \(open) still open (the rest answered 429 past their client's share of the budget, or 503 past the budget); "
            + "RSS before \(beforeKiB / 1024) MiB, peak \(peakKiB / 1024) MiB, 4 s after they closed \(afterKiB / 1024) MiB")
        #expect(open < parked, "the budget, or each client's share of it, refused some")
        #expect(peakKiB - beforeKiB < 112 * 1024, "64 MiB of bodies plus the connections")
        #expect(afterKiB - beforeKiB < 16 * 1024, "memory came back")
    }

    /// For 3 s, silent connections from 127.0.0.2…127.0.0.21, each address reopening what the
    /// server closes to keep 40 open (800 in all against the cap of 300); then 300 with half a
    /// request head from 127.0.0.2 alone, held 2 s.
    static func floodConnections(port: Int, held: HeldConnections) -> String {
        var opened = 0
        var perAddress = [Int: [TestConnection]]()
        let until = Date().addingTimeInterval(3)
        while Date() < until, opened < 20_000 {
            for address in 2...21 {
                var open = perAddress[address, default: []].filter { !$0.isClosedByPeer() }
                while open.count < 40, let connection = try? TestConnection(port: port, source: "127.0.0.\(address)") {
                    opened += 1
                    open.append(connection)
                }
                perAddress[address] = open
            }
            // Every 100 ms: the flood's own CPU shares the machine with the server it measures.
            Thread.sleep(forTimeInterval: 0.1)
        }
        let silentOpen = perAddress.values.joined().filter { !$0.isClosedByPeer() }.count
        perAddress = [:]
        var halfHeads = 0
        for _ in 0..<300 {
            guard let connection = try? TestConnection(port: port, source: "127.0.0.2", timeout: .milliseconds(200)) else { continue }
            guard (try? connection.send("GET /chat/ping HTTP/1.1\r\nHost: x\r\n")) != nil else { continue }
            halfHeads += 1
            held.add(connection)
        }
        Thread.sleep(forTimeInterval: 2)
        return "\(opened) silent connections opened in 3 s from 20 addresses (\(silentOpen) open at the end); "
            + "\(halfHeads) half heads from 127.0.0.2, \(held.openCount()) of them open after 2 s"
    }

    /// From 127.0.0.2: users signed up until the sign-up limit answers 429, each in one lobby
    /// with as many streams as it may open (20 per user).
    static func floodStreams(port: Int, held: HeldConnections) -> String {
        held.closeAll()
        let flood = ChatServerAt(port: port, source: "127.0.0.2")
        guard let room = try? flood.makeLobby() else { return "no lobby for the stream flood" }
        var users: [String] = []
        while users.count < 100, let user = try? flood.makeUser("flood\(users.count)") {
            _ = try? flood.join(room, user)
            users.append(user)
        }
        var statuses: [Int: Int] = [:]
        for user in users {
            for _ in 0..<20 {
                guard let reader = try? flood.openStream(room, userId: user) else { continue }
                statuses[reader.head.status, default: 0] += 1
                if reader.head.status == 200 { held.add(reader.connection) }
            }
        }
        Thread.sleep(forTimeInterval: 2)
        return "\(users.count) users signed up from 127.0.0.2 opened streams: \(statuses.sorted { $0.key < $1.key }), "
            + "\(held.openCount()) open after 2 s"
    }

    /// From 127.0.0.2: connections that send a head for a 64 KiB body and 60,000 bytes of it,
    /// and stop there.
    static func parkBodies(port: Int, held: HeldConnections) -> String {
        held.closeAll()
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 60_000)
        var parked = 0
        for _ in 0..<400 {
            guard let connection = try? TestConnection(port: port, source: "127.0.0.2", timeout: .milliseconds(200)) else { continue }
            let head = "POST /chat/user HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n"
            guard (try? connection.send(Array(head.utf8) + body)) != nil else { continue }
            parked += 1
            held.add(connection)
        }
        Thread.sleep(forTimeInterval: 2)
        return "\(parked) bodies parked from 127.0.0.2, \(held.openCount()) connections open after 2 s"
    }

    /// The one-minute load average, from `/proc/loadavg`.
    static func loadAverage() -> Double {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).flatMap { Double($0.split(separator: " ").first ?? "") } ?? 0
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

    /// The test process holds a thousand sockets at once.
    static func raiseOpenFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// The flood's connections, opened on its thread and counted or closed from the test's.
final class HeldConnections: @unchecked Sendable {
    // `connections` is touched only under `lock`; a TestConnection is used by one thread at a
    // time (the flood only adds, the test only peeks and closes after the flood's phase).
    private let lock = NSLock()
    private var connections: [TestConnection] = []

    func add(_ connection: TestConnection) { lock.withLock { connections.append(connection) } }

    /// Those the server has not closed (or answered before closing).
    func openCount() -> Int { lock.withLock { connections.filter { !$0.isClosedByPeer() }.count } }

    func closeAll() { lock.withLock { connections = [] } }
}
