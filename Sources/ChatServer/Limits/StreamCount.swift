import APIRuntime
import ChatAPI
import Synchronization

/// How many streams each user holds open on this instance, so one user cannot hold them all:
/// checked before a stream's head goes out, counted once it opens, forgotten when it closes.
/// Concurrent opens may pass the check together, so a user may briefly exceed the limit by as
/// many streams as it opens at the same instant; never more.
final class StreamCount: Sendable {
    let limit: Int
    private let open = Mutex([String: Int]())

    init(limit: Int) {
        self.limit = limit
    }

    /// Throws `tooManyStreams` when `userId` already holds `limit` streams.
    func check(_ userId: String) throws(ChatError) {
        if open.withLock({ $0[userId, default: 0] }) >= limit { throw .tooManyStreams(limit: limit) }
    }

    /// Counts `sink`'s stream against `userId` until it closes.
    func opened(_ userId: String, _ sink: EventSink<Components.Schemas.ChatEvent>) {
        open.withLock { $0[userId, default: 0] += 1 }
        sink.onClose { [self] in
            open.withLock { counts in
                let left = counts[userId, default: 1] - 1
                counts[userId] = left > 0 ? left : nil
            }
        }
    }

    /// Streams open for `userId` now.
    func count(of userId: String) -> Int { open.withLock { $0[userId, default: 0] } }
}
