import EventLoop

/// The capacity scenario: C idle streams opened and held; with the server's pid, its resident
/// memory and descriptors per stream; then check messages, one at a time, each timed from the
/// post's answer to its arrival on the last stream (and checking every stream still works).
struct CapacityScenario {
    /// The sizes of a run.
    struct Plan {
        var streams: Int
        /// Seconds to hold the streams idle before the check message.
        var hold: Double
        /// Check messages posted after the hold, each once the one before reached every stream.
        var checks: Int
        var threads: Int
        /// Seconds for setup calls and for the check message to arrive everywhere.
        var timeout: Double
        var goalKiBPerStream: Double?
        /// Goal for the median check, post answer to last stream, in milliseconds.
        var goalCheckMilliseconds: Double?
    }

    let address: LoopbackAddress
    let server: ServerProbe?
    let plan: Plan

    /// Opens, measures, holds, checks and closes the streams.
    func run(nonce: String) throws -> CapacityResult {
        let chat = ChatClient(address: address, timeout: plan.timeout)
        let room = "bench-\(nonce)-capacity"
        try chat.createLobby(room: room)
        let user = try chat.createUser(name: "bench-holder")
        try chat.join(room: room, as: user)
        let fence = try chat.post(room: room, as: user, content: "fence")
        let request = RequestBytes.make("GET", "/events/\(room)?userId=\(user.id)", host: address.hostHeader,
                                        headers: [("Accept", "text/event-stream"), ("Last-Event-ID", String(fence))] + user.credentialHeaders)
        let threads = max(1, min(plan.threads, plan.streams))
        let shards = try (0..<threads).map { shard in
            let count = plan.streams / threads + (shard < plan.streams % threads ? 1 : 0)
            return try CapacityShard(address: address, requests: Array(repeating: request, count: count), nonce: nonce, maxConnecting: 256 / threads)
        }

        System.sleep(seconds: 0.5)
        let rssBefore = try server?.residentKiB()
        let fdsBefore = try server?.openDescriptors()
        let meter = CPUMeter(server: server)
        let openStart = System.monotonicNanoseconds()
        let openDeadline = openStart + UInt64(max(plan.timeout, 60) * 1e9)
        ShardThreads.run(shards) { $0.open(deadline: openDeadline) }
        let openSeconds = Double(System.monotonicNanoseconds() - openStart) / 1e9
        let opened = shards.reduce(0) { $0 + $1.openedCount }

        System.sleep(seconds: 1)
        let rssWith = try server?.residentKiB()
        let fdsWith = try server?.openDescriptors()

        let holdEnd = System.monotonicNanoseconds() + UInt64(plan.hold * 1e9)
        ShardThreads.run(shards) { $0.hold(until: holdEnd) }
        let liveAfterHold = shards.reduce(0) { $0 + $1.liveCount }

        let poster = CheckPoster(chat: chat, room: room, user: user, nonce: nonce)
        var fromSent: [Double] = []
        var fromAnswer: [Double] = []
        var receivedEvery = opened
        let checkMeter = CPUMeter(server: server)
        for index in 0..<max(1, plan.checks) {
            for shard in shards { shard.expectCheck(index) }
            let deadline = System.monotonicNanoseconds() + UInt64(plan.timeout * 1e9)
            let work = [CheckWork.post(poster, index: index)] + shards.map { CheckWork.await($0, deadline: deadline) }
            ShardThreads.run(work) { $0.run() }
            if let failure = poster.failure { throw failure }
            receivedEvery = min(receivedEvery, shards.reduce(0) { $0 + $1.receivedCheck })
            let last = shards.map(\.lastCheckAt).max() ?? 0
            fromSent.append(last > poster.sentAt ? Double(last - poster.sentAt) / 1e6 : 0)
            fromAnswer.append(last > poster.answeredAt ? Double(last - poster.answeredAt) / 1e6 : 0)
        }
        let checkCPU = checkMeter.stop()
        for shard in shards { shard.close() }
        let cpu = meter.stop()
        let fdsAfter = try waitForDescriptors(toDropTo: fdsBefore)

        var perStream: Double?
        if let rssBefore, let rssWith, opened > 0 { perStream = Double(rssWith - rssBefore) / Double(opened) }
        var goals: [GoalCheck] = []
        if let goal = plan.goalKiBPerStream, let perStream {
            goals.append(GoalCheck(name: "server memory per stream", target: "< \(Format.number(goal)) KiB", measured: Format.number(perStream) + " KiB", met: perStream < goal))
        }
        let checkMedian = Self.median(fromAnswer)
        if let goal = plan.goalCheckMilliseconds {
            goals.append(GoalCheck(name: "check message, post answer to last stream (median of \(fromAnswer.count))", target: "< \(Format.number(goal)) ms",
                                   measured: Format.milliseconds(checkMedian) + " ms", met: checkMedian < goal))
        }
        return CapacityResult(
            streams: plan.streams,
            opened: opened,
            openSeconds: openSeconds,
            serverRSSBeforeKiB: rssBefore,
            serverRSSWithStreamsKiB: rssWith,
            serverKiBPerStream: perStream,
            serverFDsBefore: fdsBefore,
            serverFDsWithStreams: fdsWith,
            serverFDsAfterClose: fdsAfter,
            heldSeconds: plan.hold,
            endedWhileHeld: opened - liveAfterHold,
            receivedCheck: receivedEvery,
            checkFanoutMilliseconds: Self.median(fromSent),
            checkFromAnswerMilliseconds: fromAnswer,
            checkFromAnswerMedianMilliseconds: checkMedian,
            checkCPU: checkCPU,
            firstError: shards.compactMap(\.firstEnd).first.map { "\($0)" } ?? shards.compactMap(\.failure).first.map { "\($0)" },
            cpu: cpu,
            goals: goals)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// The server's descriptor count once it has let go of the closed streams (or after 5 s).
    private func waitForDescriptors(toDropTo baseline: Int?) throws -> Int? {
        guard let server, let baseline else { return nil }
        let deadline = System.monotonicNanoseconds() + 5_000_000_000
        var count = try server.openDescriptors()
        while count > baseline && System.monotonicNanoseconds() < deadline {
            System.sleep(seconds: 0.05)
            count = try server.openDescriptors()
        }
        return count
    }
}
