import EventLoop

/// The requests scenario: for each route, closed-loop load over N keep-alive connections for
/// a set time (or a set number of requests), with throughput and latency percentiles.
struct RequestsScenario {
    /// The sizes of a run.
    struct Plan {
        /// Keep-alive connections, spread over the loop threads.
        var connections: Int
        /// Seconds of load per route.
        var duration: Double
        /// At most this many requests per route (nil: only the duration bounds it).
        var maxRequests: Int?
        var threads: Int
        /// Seconds to wait for answers in flight after the duration.
        var timeout: Double
        /// The routes loaded, in order.
        var routes: [Route] = RequestsScenario.standardRoutes
        /// Lobbies the post route spreads over, each with a poster of its own; every connection
        /// takes them in turn.
        var lobbies = 1
    }

    /// A route the scenario can load: `list` is `GET /chat`, `history` the first lobby's
    /// `GET /chat/{room}/messages` (its latest 100 messages, posted before the load if the
    /// lobby has fewer).
    enum Route: String, CaseIterable {
        case ping, post, list, history
    }

    /// What a run loads unless told otherwise.
    static let standardRoutes: [Route] = [.ping, .post, .list]

    /// The messages `history` answers, and posts first.
    static let historyMessages = 100

    let address: LoopbackAddress
    let server: ServerProbe?
    let plan: Plan

    /// Sets up the lobbies, each with a member to post as, then loads each route in turn.
    func run(nonce: String) throws -> [RequestsResult] {
        let chat = ChatClient(address: address, timeout: plan.timeout)
        try chat.ping()
        let host = address.hostHeader
        let posts = try (0..<plan.lobbies).map { index in
            let room = "bench-\(nonce)-requests" + (plan.lobbies == 1 ? "" : "-\(index)")
            try chat.createLobby(room: room)
            let poster = try chat.createUser(name: "bench-poster")
            try chat.join(room: room, as: poster)
            let message = RequestBytes.jsonObject([("userId", poster.id), ("message", "a benchmark message of about the length of a short chat line")])
            return (room: room, poster: poster, request: RequestBytes.make("POST", "/chat/\(room)/message", host: host, headers: poster.credentialHeaders, json: message))
        }
        if plan.routes.contains(.history), let first = posts.first {
            for index in 0..<Self.historyMessages {
                try chat.post(room: first.room, as: first.poster, content: "history message \(index) of about the length of a short chat line")
            }
        }
        let list = try chat.lobbyList()
        let routes: [(String, [[UInt8]])] = plan.routes.map { route in
            switch route {
            case .ping:
                ("GET /chat/ping", [RequestBytes.make("GET", "/chat/ping", host: host)])
            case .post:
                ("POST /chat/{room}/message" + (plan.lobbies == 1 ? "" : " (\(plan.lobbies) lobbies)"), posts.map(\.request))
            case .list:
                ("GET /chat (\(list.lobbies) \(list.lobbies == 1 ? "lobby" : "lobbies"), \(Format.grouped(list.bytes)) bytes)", [RequestBytes.make("GET", "/chat", host: host)])
            case .history:
                ("GET /chat/{room}/messages (\(Self.historyMessages) messages)", [RequestBytes.make("GET", "/chat/\(posts[0].room)/messages", host: host)])
            }
        }
        return try routes.map { try load(route: $0.0, requests: $0.1) }
    }

    private func load(route: String, requests: [[UInt8]]) throws -> RequestsResult {
        let threads = max(1, min(plan.threads, plan.connections))
        var shards: [RequestsShard] = []
        for index in 0..<threads {
            let connections = plan.connections / threads + (index < plan.connections % threads ? 1 : 0)
            let budget = plan.maxRequests.map { $0 / threads + (index < $0 % threads ? 1 : 0) } ?? Int.max
            shards.append(try RequestsShard(
                address: address, requests: requests, connectionCount: connections, budget: budget, firstRequest: index * requests.count / threads))
        }
        let meter = CPUMeter(server: server)
        let start = System.monotonicNanoseconds()
        let endAt = start + UInt64(plan.duration * 1e9)
        let deadline = endAt + UInt64(plan.timeout * 1e9)
        ShardThreads.run(shards) { $0.run(endAt: endAt, deadline: deadline) }
        let cpu = meter.stop()
        if let failure = shards.compactMap(\.failure).first { throw failure }

        var histogram = LatencyHistogram()
        for shard in shards { histogram.merge(shard.histogram) }
        let responses = shards.reduce(0) { $0 + $1.responses }
        let first = shards.map(\.firstSentAt).min() ?? start
        let last = shards.map(\.lastAnsweredAt).max() ?? start
        let seconds = last > first ? Double(last - first) / 1e9 : 0
        return RequestsResult(
            route: route,
            connections: plan.connections,
            requests: responses,
            requestsPerSecond: seconds > 0 ? Double(responses) / seconds : 0,
            latency: histogram.summary,
            errors: shards.reduce(0) { $0 + $1.errors },
            firstError: shards.compactMap(\.firstError).first,
            cpu: cpu)
    }
}
