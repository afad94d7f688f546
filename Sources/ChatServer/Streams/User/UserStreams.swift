import Synchronization

/// This instance's user streams by user, so that a join (made here or, with PostgreSQL, on any
/// instance) reaches the streams of the user who joined. Each store holds one and reports
/// every join to it, outside its own lock.
final class UserStreams: Sendable {
    private let streams = Mutex([String: [ObjectIdentifier: UserStream]]())

    init() {}

    /// Tells `stream` of its user's joins until it closes.
    func register(_ stream: UserStream) {
        streams.withLock { $0[stream.userId, default: [:]][ObjectIdentifier(stream)] = stream }
        stream.sink.onClose { [weak self, weak stream] in
            guard let self, let stream else { return }
            self.streams.withLock { streams in
                streams[stream.userId]?[ObjectIdentifier(stream)] = nil
                if streams[stream.userId]?.isEmpty == true { streams[stream.userId] = nil }
            }
        }
    }

    /// `userId` joined `room` with the event `seq`: each of their user streams follows it from
    /// that event on.
    func joined(_ room: String, userId: String, seq: Int) {
        for stream in streams.withLock({ Array(($0[userId] ?? [:]).values) }) { stream.follow(room, fromJoin: seq) }
    }

    /// How many user streams are open for `userId` here.
    func count(of userId: String) -> Int {
        streams.withLock { $0[userId]?.count ?? 0 }
    }
}
