import EventLoop

/// The fan-out scenario: S subscribers spread over L lobbies, messages posted at a set rate or
/// as fast as the server takes them; deliveries per second, publish-to-receive latency, and
/// any loss, duplicate or reordering.
struct FanoutScenario {
    /// The sizes of a run.
    struct Plan {
        var subscribers: Int
        var lobbies: Int
        var messagesPerLobby: Int
        /// Posts per second per lobby; nil: as fast as the server takes them.
        var ratePerLobby: Double?
        /// Without a rate: messages per lobby out that not every subscriber has yet.
        var window: Int
        var publishersPerLobby: Int
        /// Characters of each message's content.
        var messageBytes: Int
        var threads: Int
        /// Seconds for setup calls, for streams to open, and to wait for the last deliveries.
        var timeout: Double
        /// Posting stops after this many seconds whatever the count.
        var maxPostingSeconds: Double
        /// Where the streams are opened, when not at the server posted to (another instance).
        var streamsAddress: LoopbackAddress?
        var goalDeliveriesPerSecond: Double?
        var goalP99Milliseconds: Double?
    }

    let address: LoopbackAddress
    let server: ServerProbe?
    let plan: Plan

    /// Sets up users, lobbies and joins, opens the streams, posts, and checks every delivery.
    func run(nonce: String) throws -> FanoutResult {
        let lobbyCount = max(1, min(plan.lobbies, plan.subscribers))
        let setupStart = System.monotonicNanoseconds()
        let chat = ChatClient(address: address, timeout: plan.timeout)
        let rooms = (0..<lobbyCount).map { "bench-\(nonce)-l\($0)" }
        var posters: [ChatUser] = []
        for room in rooms {
            try chat.createLobby(room: room)
            let poster = try chat.createUser(name: "bench-poster")
            try chat.join(room: room, as: poster)
            posters.append(poster)
        }
        var subscribers: [ChatUser] = []
        for index in 0..<plan.subscribers {
            let user = try chat.createUser(name: "bench-subscriber-\(index)")
            try chat.join(room: rooms[index % lobbyCount], as: user)
            subscribers.append(user)
        }
        // Streams resume from a fence post, so nothing after it can be missed however late
        // the server registers a stream after sending its opening comment.
        var fences: [Int] = []
        for (room, poster) in zip(rooms, posters) { fences.append(try chat.post(room: room, as: poster, content: "fence")) }

        let threads = max(1, min(plan.threads, plan.subscribers))
        let subscribersPerLobby = (0..<lobbyCount).map { lobby in (0..<plan.subscribers).filter { $0 % lobbyCount == lobby }.count }
        let ledger = FanoutLedger(subscribersPerLobby: subscribersPerLobby, messagesPerLobby: plan.messagesPerLobby)
        let publisher = FanoutPublisher(
            address: address, ledger: ledger, nonce: nonce, rooms: rooms, posters: posters, ratePerLobby: plan.ratePerLobby,
            window: plan.window, messageBytes: plan.messageBytes, connectionsPerLobby: plan.publishersPerLobby, stallTimeout: plan.timeout)
        var shards: [FanoutShard] = []
        for shard in 0..<threads {
            let members = Array(stride(from: shard, to: plan.subscribers, by: threads))
            let streamsAddress = plan.streamsAddress ?? address
            let requests = members.map { index in
                let lobby = index % lobbyCount
                let user = subscribers[index]
                return RequestBytes.make("GET", "/events/\(rooms[lobby])?userId=\(user.id)", host: streamsAddress.hostHeader,
                                         headers: [("Accept", "text/event-stream"), ("Last-Event-ID", String(fences[lobby]))] + user.credentialHeaders)
            }
            shards.append(try FanoutShard(
                address: streamsAddress, requests: requests, lobbies: members.map { $0 % lobbyCount }, ledger: ledger, nonce: nonce,
                maxConnecting: 256 / threads, publisher: shard == 0 ? publisher : nil))
        }

        let openStart = System.monotonicNanoseconds()
        BenchSession.progress("fanout: \(plan.subscribers) users joined in \(Format.number(Double(openStart - setupStart) / 1e9)) s")
        let cpu = try plan.runPhases(shards, openStart: openStart, server: server, name: "fanout", streams: "streams")
        return summarize(shards: shards, publisher: publisher, lobbies: lobbyCount, threads: threads, cpu: cpu)
    }

    private func summarize(shards: [FanoutShard], publisher: FanoutPublisher, lobbies: Int, threads: Int, cpu: CPUUsage) -> FanoutResult {
        var histogram = LatencyHistogram()
        for shard in shards { histogram.merge(shard.histogram) }
        let deliveries = shards.reduce(0) { $0 + $1.deliveries }
        let start = publisher.firstSentAt
        let lastDelivery = shards.map(\.lastDeliveryAt).max() ?? start
        let deliverySeconds = lastDelivery > start ? Double(lastDelivery - start) / 1e9 : 0
        let postSeconds = publisher.lastAnsweredAt > start ? Double(publisher.lastAnsweredAt - start) / 1e9 : 0
        let latency = histogram.summary
        let deliveriesPerSecond = deliverySeconds > 0 ? Double(deliveries) / deliverySeconds : 0
        var goals: [GoalCheck] = []
        if let goal = plan.goalDeliveriesPerSecond {
            goals.append(GoalCheck(name: "deliveries/s", target: ">= \(Int(goal))", measured: "\(Int(deliveriesPerSecond))", met: deliveriesPerSecond >= goal))
        }
        if let goal = plan.goalP99Milliseconds {
            goals.append(GoalCheck(name: "p99 publish-to-receive", target: "< \(goal) ms", measured: Format.milliseconds(latency.p99Milliseconds) + " ms", met: latency.p99Milliseconds < goal))
        }
        return FanoutResult(
            lobbies: lobbies,
            subscribers: plan.subscribers,
            messagesPerLobby: plan.messagesPerLobby,
            ratePerLobby: plan.ratePerLobby,
            benchThreads: threads,
            posted: publisher.posted,
            deliveries: deliveries,
            expectedDeliveries: shards.reduce(0) { $0 + $1.expectedDeliveries },
            deliveriesPerSecond: deliveriesPerSecond,
            postsPerSecond: postSeconds > 0 ? Double(publisher.posted) / postSeconds : 0,
            latency: latency,
            lost: shards.reduce(0) { $0 + $1.lost },
            duplicates: shards.reduce(0) { $0 + $1.duplicates },
            reordered: shards.reduce(0) { $0 + $1.reordered },
            resyncs: shards.reduce(0) { $0 + $1.resyncs },
            streamsEnded: shards.reduce(0) { $0 + $1.endedEarly },
            postErrors: publisher.errors,
            firstError: publisher.firstError ?? shards.compactMap(\.firstEnd).first.map { "\($0)" },
            cpu: cpu,
            goals: goals)
    }
}
