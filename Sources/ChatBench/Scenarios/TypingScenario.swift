import EventLoop

/// The typing scenario: `POST /chat/{room}/typing` at a set rate per lobby in many lobbies,
/// first with no stream open (what a typing request costs the server, its event sent to nobody),
/// then with streams in every lobby (what each delivery adds). The typers take turns so that
/// each stays under the server's one broadcast per user and lobby each 2 s, and every request
/// is an event.
struct TypingScenario {
    /// The sizes of a run.
    struct Plan {
        var lobbies: Int
        /// Typing events per second in each lobby.
        var ratePerLobby: Double
        /// Members per lobby who type (none of them holds a stream).
        var typersPerLobby: Int
        /// Members per lobby who hold a stream (and never type).
        var streamsPerLobby: Int
        /// Seconds of load per phase.
        var duration: Double
        /// Keep-alive connections the requests go over.
        var connections: Int
        var timeout: Double
    }

    let address: LoopbackAddress
    let server: ServerProbe?
    let plan: Plan

    func run(nonce: String) throws -> TypingResult {
        let chat = ChatClient(address: address, timeout: plan.timeout)
        let host = address.hostHeader
        let rooms = (0..<plan.lobbies).map { "bench-\(nonce)-t\($0)" }
        var typing: [[[UInt8]]] = Array(repeating: [], count: plan.typersPerLobby)
        var streams: [[UInt8]] = []
        let setupStart = System.monotonicNanoseconds()
        for room in rooms {
            try chat.createLobby(room: room)
            for turn in 0..<plan.typersPerLobby {
                let typer = try chat.createUser(name: "bench-typer-\(turn)")
                try chat.join(room: room, as: typer)
                typing[turn].append(RequestBytes.make(
                    "POST", "/chat/\(room)/typing", host: host, headers: typer.credentialHeaders, json: RequestBytes.jsonObject([("userId", typer.id)])))
            }
            for index in 0..<plan.streamsPerLobby {
                let reader = try chat.createUser(name: "bench-reader-\(index)")
                try chat.join(room: room, as: reader)
                streams.append(RequestBytes.make(
                    "GET", "/events/\(room)?userId=\(reader.id)", host: host, headers: [("Accept", "text/event-stream")] + reader.credentialHeaders))
            }
        }
        BenchSession.progress("typing: \(plan.lobbies) lobbies set up in \(Format.number(Double(System.monotonicNanoseconds() - setupStart) / 1e9)) s")
        // Turn after turn, one request per lobby: a typer's next request comes after every
        // other typer's, `typersPerLobby / ratePerLobby` seconds later.
        let requests = typing.flatMap { $0 }
        let rate = plan.ratePerLobby * Double(plan.lobbies)

        let group = try StreamGroup(address: address, requests: streams, maxConnecting: 256)
        defer { group.closeAll() }
        var events = 0
        group.onEvent = { _, _, _, _ in events += 1 }

        let alone = try phase(group.loop, requests: requests, rate: rate, streamsPerLobby: 0, events: { events })
        BenchSession.progress("typing: without streams, \(alone.requests) requests")
        guard try group.openAll(deadline: System.monotonicNanoseconds() + UInt64(max(plan.timeout, 30) * 1e9)) else {
            throw ScenarioFailure.streamsDidNotOpen(opened: group.openedCount, of: streams.count, reason: group.firstEnd.map { "\($0)" } ?? "timeout")
        }
        // The typers' previous broadcasts must be 2 s old before the next phase starts.
        _ = try group.loop.run(deadline: System.monotonicNanoseconds() + 2_100_000_000) { _ in false }
        events = 0
        let watched = try phase(group.loop, requests: requests, rate: rate, streamsPerLobby: plan.streamsPerLobby, events: { events })
        return TypingResult(
            lobbies: plan.lobbies, ratePerLobby: plan.ratePerLobby, typersPerLobby: plan.typersPerLobby,
            streamsPerLobby: plan.streamsPerLobby, withoutStreams: alone, withStreams: watched)
    }

    /// One measured phase: the load, then a wait (up to the timeout) until every event the
    /// requests made has reached every stream.
    private func phase(
        _ loop: EventLoop, requests: [[UInt8]], rate: Double, streamsPerLobby: Int, events: () -> Int
    ) throws -> TypingResult.Phase {
        let load = try TypingLoad(address: address, loop: loop, requests: requests, rate: rate, connectionCount: plan.connections)
        defer { load.close() }
        let meter = CPUMeter(server: server)
        let sent = try load.run(seconds: plan.duration, timeout: plan.timeout)
        let expected = load.answered * streamsPerLobby
        _ = try loop.run(deadline: System.monotonicNanoseconds() + UInt64(plan.timeout * 1e9)) { _ in events() >= expected }
        let cpu = meter.stop()
        return TypingResult.Phase(
            requests: sent, errors: load.errors, firstError: load.firstError, late: load.late, deliveries: events(),
            expectedDeliveries: expected, latency: load.histogram.summary, cpu: cpu)
    }
}
