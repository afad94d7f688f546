/// What the fan-out scenario's threads share while it runs: how many subscribers have each
/// message, which streams are gone, and when publishing ended. Everything in it is atomic.
final class FanoutLedger: Sendable {
    /// Subscribers per lobby.
    let subscribersPerLobby: [Int]
    /// The most messages any lobby gets.
    let messagesPerLobby: Int
    /// Subscribers that have message `k` of lobby `l`, at `l * messagesPerLobby + k`.
    private let deliveries: AtomicCounters
    /// Streams per lobby that ended early (they will receive nothing more).
    private let endedStreams: AtomicCounters
    /// Messages posted per lobby, once publishing is over; -1 before.
    private let finalPosted: AtomicCounters
    /// When publishing ended (monotonic nanoseconds); 0 before.
    private let finish: AtomicCounters

    /// A ledger for lobbies with these subscriber counts, each getting at most `messagesPerLobby`.
    init(subscribersPerLobby: [Int], messagesPerLobby: Int) {
        self.subscribersPerLobby = subscribersPerLobby
        self.messagesPerLobby = messagesPerLobby
        deliveries = AtomicCounters(count: subscribersPerLobby.count * messagesPerLobby)
        endedStreams = AtomicCounters(count: subscribersPerLobby.count)
        finalPosted = AtomicCounters(count: subscribersPerLobby.count, initialValue: -1)
        finish = AtomicCounters(count: 1)
    }

    /// Notes that one more subscriber of `lobby` has message `index`.
    @inline(__always)
    func delivered(lobby: Int, index: Int) {
        deliveries.add(lobby * messagesPerLobby + index)
    }

    /// Notes that a stream of `lobby` ended early.
    func streamEnded(lobby: Int) {
        endedStreams.add(lobby)
    }

    /// True when every subscriber of `lobby` still listening has message `index`.
    func isFullyDelivered(lobby: Int, index: Int) -> Bool {
        deliveries.load(lobby * messagesPerLobby + index) >= subscribersPerLobby[lobby] - endedStreams.load(lobby)
    }

    /// Records how many messages each lobby got, and that publishing is over.
    func finishPublishing(posted: [Int], at time: UInt64) {
        for (lobby, count) in posted.enumerated() { finalPosted.store(lobby, count) }
        finish.store(0, Int(time))
    }

    /// Messages posted to `lobby`, or nil while publishing goes on.
    func postedCount(lobby: Int) -> Int? {
        let count = finalPosted.load(lobby)
        return count < 0 ? nil : count
    }

    /// When publishing ended, or nil while it goes on.
    var publishingFinishedAt: UInt64? {
        let time = finish.load(0)
        return time == 0 ? nil : UInt64(time)
    }
}
