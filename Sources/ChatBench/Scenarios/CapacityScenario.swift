/// The capacity scenario: C idle streams opened and held; with the server's pid, its resident
/// memory and descriptors per stream; then one message to check every stream still works.
struct CapacityScenario {
    /// The sizes of a run.
    struct Plan {
        var streams: Int
        /// Seconds to hold the streams idle before the check message.
        var hold: Double
        var threads: Int
        /// Seconds for setup calls and for the check message to arrive everywhere.
        var timeout: Double
        var goalKiBPerStream: Double?
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
        try chat.join(room: room, userId: user)
        let fence = try chat.post(room: room, userId: user, content: "fence")
        let request = RequestBytes.make("GET", "/events/\(room)?userId=\(user)", host: address.hostHeader,
                                        headers: [("Accept", "text/event-stream"), ("Last-Event-ID", String(fence))])
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

        let checkSent = System.monotonicNanoseconds()
        try chat.post(room: room, userId: user, content: "cb-\(nonce)-0-\(checkSent)-check")
        let checkDeadline = System.monotonicNanoseconds() + UInt64(plan.timeout * 1e9)
        ShardThreads.run(shards) { $0.awaitCheck(deadline: checkDeadline) }
        let lastCheck = shards.map(\.lastCheckAt).max() ?? checkSent
        for shard in shards { shard.close() }
        let cpu = meter.stop()
        let fdsAfter = try waitForDescriptors(toDropTo: fdsBefore)

        var perStream: Double?
        if let rssBefore, let rssWith, opened > 0 { perStream = Double(rssWith - rssBefore) / Double(opened) }
        var goals: [GoalCheck] = []
        if let goal = plan.goalKiBPerStream, let perStream {
            goals.append(GoalCheck(name: "server memory per stream", target: "< \(Format.number(goal)) KiB", measured: Format.number(perStream) + " KiB", met: perStream < goal))
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
            receivedCheck: shards.reduce(0) { $0 + $1.receivedCheck },
            checkFanoutMilliseconds: lastCheck > checkSent ? Double(lastCheck - checkSent) / 1e6 : 0,
            firstError: shards.compactMap(\.firstEnd).first.map { "\($0)" } ?? shards.compactMap(\.failure).first.map { "\($0)" },
            cpu: cpu,
            goals: goals)
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
