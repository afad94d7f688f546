import EventLoop

/// Posts the capacity scenario's check messages, one per phase, on a thread of its own while
/// the loops read, so a stream's receipt is timed as it happens rather than when a loop gets
/// to it after the post.
///
/// `@unchecked Sendable`: used by one thread at a time, the one `ShardThreads` gives it in a
/// phase, and read back only after that thread has finished (the group's wait orders it).
final class CheckPoster: @unchecked Sendable {
    private let chat: ChatClient
    private let room: String
    private let user: ChatUser
    private let nonce: String
    /// When the last post was sent, and when its answer was in (monotonic ns).
    private(set) var sentAt: UInt64 = 0
    private(set) var answeredAt: UInt64 = 0
    private(set) var failure: (any Error)?

    init(chat: ChatClient, room: String, user: ChatUser, nonce: String) {
        self.chat = chat
        self.room = room
        self.user = user
        self.nonce = nonce
    }

    /// Posts check message `index`, whose content the shards look for.
    func post(_ index: Int) {
        sentAt = System.monotonicNanoseconds()
        do {
            try chat.post(room: room, as: user, content: "cb-\(nonce)-\(index)-\(sentAt)-check")
        } catch {
            failure = error
        }
        answeredAt = System.monotonicNanoseconds()
    }
}

/// What one thread does in a check phase: post, or read until every stream has the message.
enum CheckWork: Sendable {
    case post(CheckPoster, index: Int)
    case await(CapacityShard, deadline: UInt64)

    func run() {
        switch self {
        case .post(let poster, let index): poster.post(index)
        case .await(let shard, let deadline): shard.awaitCheck(deadline: deadline)
        }
    }
}
