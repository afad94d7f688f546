import APIRuntime
import ChatAPI

extension LobbyFanout {
    /// What a stream resuming after an id gets first.
    enum Replay {
        /// These events, oldest first (none: it is up to date).
        case events([LiveEvent])
        /// One `resync` at `lastSeq`: the events are not all at hand, the id is not one of
        /// this lobby's, or the replay would be more than `maxReplayBytes`.
        case resync
    }

    /// The replay decision, for both stores: `older` (events from `lastEventId + 1` on, read
    /// by the caller) then the retained ring, with no gap between them, within the byte limit.
    func replay(after lastEventId: Int?, older: [LiveEvent] = []) -> Replay {
        guard let lastEventId, lastEventId != lastSeq else { return .events([]) }
        guard lastEventId >= 0, lastEventId < lastSeq else { return .resync }
        if let first = older.first, first.seq != lastEventId + 1 { return .resync }
        let olderEnd = older.last?.seq ?? lastEventId
        guard olderEnd >= (history.oldestSeq ?? lastSeq + 1) - 1 else { return .resync }
        let events = older.filter { $0.seq <= lastSeq } + history.events(after: olderEnd)
        guard events.reduce(0, { $0 + $1.frame.bytes.count }) <= maxReplayBytes else { return .resync }
        return .events(events)
    }

    /// The frames `replay` stands for.
    func frames(of replay: Replay) -> [EncodedEvent<Components.Schemas.ChatEvent>] {
        switch replay {
        case .events(let events): events.map(\.frame)
        case .resync: EncodedEvent.resync(room: room, lastSeq: lastSeq)
        }
    }
}
