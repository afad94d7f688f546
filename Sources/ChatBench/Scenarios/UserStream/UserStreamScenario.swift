import EventLoop

/// The user-stream scenario: U users, each a member of every one of L lobbies and following
/// them all on one user stream (`GET /chat/users/{id}/events`); messages posted to every lobby
/// (one poster each, so a lobby's index order is its seq order); deliveries per second and
/// publish-to-receive latency, every delivery checked for loss, duplicates and per-lobby order.
struct UserStreamScenario {
    let address: LoopbackAddress
    let server: ServerProbe?
    /// The fan-out plan's sizes: `subscribers` users, `lobbies` lobbies each.
    let plan: FanoutScenario.Plan

    /// The room code prefix, `ub-<nonce>-`: rooms are `ub-<nonce>-<lobby>-0`, so that
    /// `MessageMarker` reads the lobby's number from an event as it reads a message's index.
    static func roomPrefix(_ nonce: String) -> String { "ub-\(nonce)-" }

    func run(nonce: String) throws -> FanoutResult {
        let setupStart = System.monotonicNanoseconds()
        let chat = ChatClient(address: address, timeout: plan.timeout)
        let rooms = (0..<plan.lobbies).map { "\(Self.roomPrefix(nonce))\($0)-0" }
        var posters: [ChatUser] = []
        for room in rooms {
            try chat.createLobby(room: room)
            let poster = try chat.createUser(name: "bench-poster")
            try chat.join(room: room, as: poster)
            posters.append(poster)
        }
        var users: [ChatUser] = []
        for index in 0..<plan.subscribers {
            let user = try chat.createUser(name: "bench-user-\(index)")
            for room in rooms { try chat.join(room: room, as: user) }
            users.append(user)
        }
        // Every user stream resumes from a cursor at a fence post in each lobby: nothing after
        // it can be missed however late the server registers the stream.
        var cursor: [String] = []
        for (room, poster) in zip(rooms, posters) { cursor.append("\(room):\(try chat.post(room: room, as: poster, content: "fence"))") }
        let streamsAddress = plan.streamsAddress ?? address

        let threads = max(1, min(plan.threads, plan.subscribers))
        let ledger = FanoutLedger(subscribersPerLobby: Array(repeating: plan.subscribers, count: plan.lobbies), messagesPerLobby: plan.messagesPerLobby)
        let publisher = FanoutPublisher(
            address: address, ledger: ledger, nonce: nonce, rooms: rooms, posters: posters, ratePerLobby: plan.ratePerLobby,
            window: plan.window, messageBytes: plan.messageBytes, connectionsPerLobby: 1, stallTimeout: plan.timeout)
        var shards: [UserStreamShard] = []
        for shard in 0..<threads {
            let requests = stride(from: shard, to: plan.subscribers, by: threads).map { index in
                RequestBytes.make("GET", "/chat/users/\(users[index].id)/events", host: streamsAddress.hostHeader,
                                  headers: [("Accept", "text/event-stream"), ("Last-Event-ID", cursor.joined(separator: ","))] + users[index].credentialHeaders)
            }
            shards.append(try UserStreamShard(
                address: streamsAddress, requests: requests, lobbies: plan.lobbies, ledger: ledger, nonce: nonce,
                maxConnecting: 256 / threads, publisher: shard == 0 ? publisher : nil))
        }

        let openStart = System.monotonicNanoseconds()
        BenchSession.progress("userstream: \(plan.subscribers) users joined \(plan.lobbies) lobbies each in \(Format.number(Double(openStart - setupStart) / 1e9)) s")
        let cpu = try plan.runPhases(shards, openStart: openStart, server: server, name: "userstream", streams: "user streams")

        var histogram = LatencyHistogram()
        for shard in shards { histogram.merge(shard.histogram) }
        let deliveries = shards.reduce(0) { $0 + $1.deliveries }
        let start = publisher.firstSentAt
        let lastDelivery = shards.map(\.lastDeliveryAt).max() ?? start
        let deliverySeconds = lastDelivery > start ? Double(lastDelivery - start) / 1e9 : 0
        let postSeconds = publisher.lastAnsweredAt > start ? Double(publisher.lastAnsweredAt - start) / 1e9 : 0
        return FanoutResult(
            lobbies: plan.lobbies, subscribers: plan.subscribers, messagesPerLobby: plan.messagesPerLobby, ratePerLobby: plan.ratePerLobby,
            benchThreads: threads, posted: publisher.posted, deliveries: deliveries,
            expectedDeliveries: shards.reduce(0) { $0 + $1.expectedDeliveries },
            deliveriesPerSecond: deliverySeconds > 0 ? Double(deliveries) / deliverySeconds : 0,
            postsPerSecond: postSeconds > 0 ? Double(publisher.posted) / postSeconds : 0,
            latency: histogram.summary,
            lost: shards.reduce(0) { $0 + $1.lost }, duplicates: shards.reduce(0) { $0 + $1.duplicates },
            reordered: shards.reduce(0) { $0 + $1.reordered }, resyncs: shards.reduce(0) { $0 + $1.resyncs },
            streamsEnded: shards.reduce(0) { $0 + $1.endedEarly }, postErrors: publisher.errors,
            firstError: publisher.firstError ?? shards.compactMap(\.firstEnd).first.map { "\($0)" }, cpu: cpu, goals: [])
    }
}
