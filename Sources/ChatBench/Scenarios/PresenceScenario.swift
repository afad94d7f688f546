import EventLoop
import Foundation
import Synchronization

/// The presence scenario: N members of one lobby each open a stream with `presence=true`; the
/// first `churn` of them are the ones that come and go, the others stay and are measured. Phase
/// one opens the staying streams (each gets the lobby filling up); then each round opens the
/// churning streams, holds them, closes them and waits out the grace. Counted on the staying
/// streams: `presence` events (deliveries), the changes they list, and each stream's latest
/// online count, which must end at the staying count (every stream saw the last change).
struct PresenceScenario {
    struct Plan {
        var streams: Int
        var churn: Int
        var rounds: Int
        var grace: Double
        var interval: Double
        var timeout: Double
    }

    /// What a run measured, as text.
    struct Result {
        var text: String
        var consistent: Bool
    }

    let address: LoopbackAddress
    let server: ServerProbe?
    let plan: Plan

    func run(nonce: String) throws -> Result {
        let chat = ChatClient(address: address, timeout: plan.timeout)
        let room = "bench-\(nonce)-presence"
        try chat.createLobby(room: room)
        let setupStart = System.monotonicNanoseconds()
        var requests: [[UInt8]] = []
        for index in 0..<plan.streams {
            let user = try chat.createUser(name: "presence-\(index)")
            try chat.join(room: room, as: user)
            requests.append(RequestBytes.make("GET", "/events/\(room)?userId=\(user.id)&presence=true", host: address.hostHeader,
                                              headers: [("Accept", "text/event-stream")] + user.credentialHeaders))
            if (index + 1) % 5000 == 0 { BenchSession.progress("presence: \(index + 1) members") }
        }
        BenchSession.progress("presence: \(plan.streams) members in \(Self.seconds(since: setupStart)) s")

        let staying = try StreamGroup(address: address, requests: Array(requests[plan.churn...]), maxConnecting: 256)
        let tally = PresenceTally(streams: staying.count)
        staying.onEvent = { index, _, data, _ in tally.note(index, data) }
        let stop = Atomic<Bool>(false)
        let opened = Atomic<Bool>(false)
        let done = DispatchSemaphore(value: 0)
        let holder = StayingStreams(group: staying)
        let thread = Thread {
            defer { done.signal() }
            let deadline = System.monotonicNanoseconds() + UInt64(max(plan.timeout, 120) * 1e9)
            _ = try? holder.group.openAll(deadline: deadline)
            opened.store(true, ordering: .releasing)
            _ = try? holder.group.loop.run(deadline: deadline + 3_600_000_000_000) { _ in stop.load(ordering: .acquiring) }
        }
        thread.name = "ChatBench.presence"
        thread.start()

        // Phase 1: the staying streams open; each hears the lobby fill up.
        let openMeter = CPUMeter(server: server)
        while !opened.load(ordering: .acquiring) { System.sleep(seconds: 0.05) }
        let openSeconds = openMeter.stop().wallSeconds
        System.sleep(seconds: plan.interval * 2 + 1)
        let openCPU = openMeter.stop()
        let afterOpen = tally.snapshot()

        // Phase 2: the churning streams open, stay a moment, close, and the grace passes.
        let churnMeter = CPUMeter(server: server)
        for round in 0..<plan.rounds {
            let churning = try StreamGroup(address: address, requests: Array(requests[..<plan.churn]), maxConnecting: 256)
            let deadline = System.monotonicNanoseconds() + UInt64(plan.timeout * 1e9)
            _ = try churning.openAll(deadline: deadline)
            let holdUntil = System.monotonicNanoseconds() + UInt64((plan.interval * 2 + 0.5) * 1e9)
            _ = try churning.loop.run(deadline: holdUntil) { _ in false }
            churning.closeAll()
            System.sleep(seconds: plan.grace + plan.interval * 2 + 0.5)
            BenchSession.progress("presence: round \(round + 1) of \(plan.rounds)")
        }
        let churnCPU = churnMeter.stop()
        stop.store(true, ordering: .releasing)
        done.wait()
        let end = tally.snapshot()

        let stayingCount = staying.count
        let streamsLine = "  staying streams: \(staying.openedCount) opened, \(staying.failedToOpenCount) failed to open, "
            + "\(staying.endedCount - staying.failedToOpenCount) ended early" + (staying.firstEnd.map { " (first: \($0))" } ?? "")
        let lastCounts = tally.lastOnline()
        let agreeing = lastCounts.filter { $0 == stayingCount }.count
        let churnEvents = end.events - afterOpen.events
        let churnChanges = end.changes - afterOpen.changes
        let announced = 2 * plan.churn * plan.rounds
        var lines: [String] = []
        lines.append("presence: \(plan.streams) members of one lobby, each stream presence=true; \(stayingCount) stay, \(plan.churn) come and go × \(plan.rounds) (grace \(plan.grace) s, interval \(plan.interval) s)")
        lines.append("  open \(stayingCount) streams: \(Self.fixed(openSeconds)) s; \(afterOpen.events) presence events delivered (\(Self.fixed(Double(afterOpen.events) / Double(stayingCount))) per stream), \(afterOpen.changes) changes listed, \(afterOpen.truncated) truncated")
        lines.append("    " + Self.describe(openCPU))
        lines.append("  churn: \(announced) online/offline changes over \(Self.fixed(churnCPU.wallSeconds)) s (\(Self.fixed(Double(announced) / churnCPU.wallSeconds))/s)")
        lines.append("    delivered \(churnEvents) presence events (\(Self.fixed(Double(churnEvents) / churnCPU.wallSeconds))/s, \(Self.fixed(Double(churnEvents) / Double(stayingCount))) per stream), \(churnChanges) changes listed, \(end.truncated - afterOpen.truncated) truncated, \(end.bytes - afterOpen.bytes) bytes")
        lines.append("    one event per change and stream would have been \(announced * stayingCount) deliveries (\(Self.fixed(Double(announced * stayingCount) / Double(max(1, churnEvents))))× as many)")
        lines.append("    " + Self.describe(churnCPU))
        lines.append(streamsLine)
        let seen = Dictionary(grouping: lastCounts, by: { $0 }).map { ($0.key, $0.value.count) }.sorted { $0.1 > $1.1 }.prefix(3)
        lines.append("  consistent: \(agreeing) of \(stayingCount) staying streams last saw online = \(stayingCount)"
            + (agreeing == stayingCount ? "" : " (last seen: " + seen.map { "\($0.0) on \($0.1)" }.joined(separator: ", ") + ")"))
        staying.closeAll()
        return Result(text: lines.joined(separator: "\n"), consistent: agreeing == stayingCount)
    }

    private static func describe(_ cpu: CPUUsage) -> String {
        var text = "CPU over \(fixed(cpu.wallSeconds)) s: bench \(fixed(cpu.benchPercent))% of a core"
        if let server = cpu.serverPercent { text += ", server \(fixed(server))% (\(fixed(cpu.serverSeconds ?? 0)) s)" }
        if let other = cpu.otherPercent { text += ", other processes \(fixed(other))%" }
        return text
    }

    private static func fixed(_ value: Double) -> String { String(format: "%.1f", value) }
    private static func seconds(since start: UInt64) -> String { fixed(Double(System.monotonicNanoseconds() - start) / 1e9) }
}

/// The staying streams' group, handed to the thread that runs its loop (and only it, until the
/// scenario has waited for that thread).
private final class StayingStreams: @unchecked Sendable {
    let group: StreamGroup
    init(group: StreamGroup) { self.group = group }
}
