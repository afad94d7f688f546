import HTTPServer
import PostgresClient
import Synchronization

/// Posts, gathered into one statement (`chat_post`) and so one commit: while a batch is being
/// committed, the posts that arrive wait for the next. With `synchronous_commit` on, a lobby's
/// posts would otherwise be one WAL flush apart, since each holds its lobby's row until its
/// commit is on disk. Each post is answered when its batch has committed.
final class PostBatcher: Sendable {
    struct Post: Sendable {
        var room: String
        var userId: String
        var messageId: String
        var content: String
        var sentAt: String
    }

    /// What became of one post.
    enum Outcome: Sendable {
        case posted(seq: Int, name: String)
        case failed(ChatError)
    }

    private struct Waiting {
        let post: Post
        let continuation: CheckedContinuation<Outcome, Never>
    }

    private struct State {
        var waiting: [Waiting] = []
        var batchesInFlight = 0
    }

    private let pool: PostgresPool
    private let executor: QueueExecutor
    private let maxBatch: Int
    private let maxInFlight: Int
    private let state = Mutex(State())

    init(pool: PostgresPool, executor: QueueExecutor, maxBatch: Int = 256, maxInFlight: Int = 2) {
        self.pool = pool
        self.executor = executor
        self.maxBatch = maxBatch
        self.maxInFlight = maxInFlight
    }

    /// Stores `post` with the next ones; returns once they are committed.
    func post(_ post: Post) async -> Outcome {
        await withCheckedContinuation { continuation in
            state.withLock { $0.waiting.append(Waiting(post: post, continuation: continuation)) }
            sendIfIdle()
        }
    }

    private func sendIfIdle() {
        let batch = state.withLock { state -> [Waiting]? in
            guard state.batchesInFlight < maxInFlight, !state.waiting.isEmpty else { return nil }
            state.batchesInFlight += 1
            let count = min(maxBatch, state.waiting.count)
            defer { state.waiting.removeFirst(count) }
            return Array(state.waiting.prefix(count))
        }
        guard let batch else { return }
        Task(executorPreference: executor) { [self] in
            let outcomes = await commit(batch.map(\.post))
            state.withLock { $0.batchesInFlight -= 1 }
            sendIfIdle()
            for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(returning: outcome) }
        }
    }

    private func commit(_ posts: [Post]) async -> [Outcome] {
        let rows: PostgresRows
        do throws(PostgresError) {
            rows = try await pool.query(
                "SELECT item, outcome, seq, name FROM chat_post($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])",
                [PostgresArray.literal(posts.map(\.room)), PostgresArray.literal(posts.map(\.userId)),
                 PostgresArray.literal(posts.map(\.messageId)), PostgresArray.literal(posts.map(\.content)),
                 PostgresArray.literal(posts.map(\.sentAt))])
        } catch {
            return Array(repeating: .failed(ChatError(error)), count: posts.count)
        }
        var outcomes = Array(repeating: Outcome.failed(.storeUnavailable), count: posts.count)
        for row in rows.rows {
            guard row.count == 4, let item = row[0].flatMap({ Int($0) }), (1...posts.count).contains(item) else { continue }
            let post = posts[item - 1]
            switch row[1] {
            case "posted":
                if let seq = row[2].flatMap({ Int($0) }), let name = row[3] { outcomes[item - 1] = .posted(seq: seq, name: name) }
            case "no-lobby": outcomes[item - 1] = .failed(.lobbyNotFound(post.room))
            case "no-user": outcomes[item - 1] = .failed(.userNotFound(post.userId))
            case "not-member": outcomes[item - 1] = .failed(.notAMember(userId: post.userId, room: post.room))
            default: break
            }
        }
        return outcomes
    }
}
