import EventLoop

/// One loop's share of a stream scenario (`FanoutShard`, `UserStreamShard`): its streams open
/// in one phase, then messages are posted and received in the next.
protocol StreamShard: AnyObject, Sendable {
    var openedCount: Int { get }
    /// Why the first stream that ended did.
    var firstEnd: StreamEnd? { get }
    var failure: (any Error)? { get }
    func open(deadline: UInt64)
    func deliver(timeout: Double, maxPostingSeconds: Double, deadline: UInt64)
}

extension FanoutScenario.Plan {
    /// Runs a stream scenario's two phases over `shards`, one thread each: every stream opens
    /// (from `openStart`; else the scenario fails with why the first did not), then messages
    /// are posted and received within the plan's times. Returns the server's CPU over the
    /// second phase. `name` and `streams` word the progress line ("fanout", "streams").
    func runPhases<Shard: StreamShard>(
        _ shards: [Shard], openStart: UInt64, server: ServerProbe?, name: String, streams: String
    ) throws -> CPUUsage {
        let openDeadline = openStart + UInt64(max(timeout, 30) * 1e9)
        ShardThreads.run(shards) { $0.open(deadline: openDeadline) }
        let opened = shards.reduce(0) { $0 + $1.openedCount }
        BenchSession.progress("\(name): \(opened) \(streams) open in \(Format.number(Double(System.monotonicNanoseconds() - openStart) / 1e9)) s; posting")
        if opened < subscribers {
            let reason = shards.compactMap(\.firstEnd).first.map { "\($0)" } ?? shards.compactMap(\.failure).first.map { "\($0)" } ?? "unknown"
            throw ScenarioFailure.streamsDidNotOpen(opened: opened, of: subscribers, reason: reason)
        }

        let postingSeconds = min(maxPostingSeconds, ratePerLobby.map { Double(messagesPerLobby) / $0 } ?? maxPostingSeconds)
        let deadline = System.monotonicNanoseconds() + UInt64((postingSeconds + 2 * timeout + 5) * 1e9)
        let meter = CPUMeter(server: server)
        let (timeout, maxPostingSeconds) = (timeout, maxPostingSeconds)
        ShardThreads.run(shards) { $0.deliver(timeout: timeout, maxPostingSeconds: maxPostingSeconds, deadline: deadline) }
        let cpu = meter.stop()
        if let failure = shards.compactMap(\.failure).first { throw failure }
        return cpu
    }
}
