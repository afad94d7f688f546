import HTTPServer
import PostgresClient
import Synchronization

/// Posts, gathered into one transaction and so one commit: while a batch is being committed,
/// the posts that arrive wait for the next. With `synchronous_commit` on, a lobby's posts would
/// otherwise be one WAL flush apart, since each holds its lobby's row until its commit is on
/// disk. Each post is answered when its batch has committed.
///
/// A batch is one round trip: two prepared statements in one pipeline (`Self.lock`, then
/// `Self.insert`), one commit. The lobbies' rows are locked first, in room order (so batches
/// cannot deadlock); the insert then starts with a snapshot taken under those locks, so it sees
/// every join and leave committed before it, and numbers each lobby's posts from its last seq
/// as one set: one update per lobby, one multi-row insert, one NOTIFY per lobby.
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

    init(pool: PostgresPool, executor: QueueExecutor, maxBatch: Int = 256, maxInFlight: Int) {
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
            let rooms = PostgresArray.literal(posts.map(\.room))
            let parameters = [
                rooms, PostgresArray.literal(posts.map(\.userId)), PostgresArray.literal(posts.map(\.messageId)),
                PostgresArray.literal(posts.map(\.content)), PostgresArray.literal(posts.map(\.sentAt)),
            ]
            let results = try await pool.withConnection { connection throws(PostgresError) in
                try await connection.transaction([(Self.lock, [rooms]), (Self.insert, parameters)])
            }
            rows = results.last ?? .empty
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

    /// Locks the rows of the batch's lobbies (`$1`, its rooms), in room order.
    static let lock = PreparedStatement(
        name: "chat_post_lock", sql: "SELECT 1 FROM lobbies WHERE room = ANY ($1::text[]) ORDER BY room FOR UPDATE")

    /// Stores the batch (`$1`…`$5`: rooms, users, message ids, contents, sent-at times; item i
    /// is the i-th of each) and answers per item, in order: 'no-lobby', 'no-user', 'not-member'
    /// or 'posted' with its seq and the poster's name. A lobby's posts take the seqs after its
    /// `last_seq` in item order (`rank`: 1, 2, … over its members' posts); each lobby with posts
    /// is announced once (`room seq`, its last). The seqs are counted from the value the update
    /// itself moved the counter from (its `RETURNING`), not from the snapshot's read.
    static let insert = PreparedStatement(
        name: "chat_post_insert",
        sql: """
            WITH input AS (
                SELECT t.item, t.room, t.user_id, t.message_id, t.content, t.sent_at
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
                     WITH ORDINALITY AS t(room, user_id, message_id, content, sent_at, item)
            ), checked AS MATERIALIZED (
                SELECT i.*, u.name,
                       CASE WHEN l.room IS NULL THEN 'no-lobby' WHEN u.id IS NULL THEN 'no-user'
                            WHEN m.user_id IS NULL THEN 'not-member' ELSE 'posted' END AS outcome,
                       count(m.user_id) OVER (PARTITION BY i.room ORDER BY i.item) AS rank
                FROM input i
                LEFT JOIN lobbies l ON l.room = i.room
                LEFT JOIN users u ON u.id = i.user_id
                LEFT JOIN members m ON m.room = l.room AND m.user_id = u.id
            ), counted AS MATERIALIZED (
                UPDATE lobbies l SET last_seq = l.last_seq + p.posts, active_at = now()
                FROM (SELECT room, count(*) AS posts FROM checked WHERE outcome = 'posted' GROUP BY room) p
                WHERE l.room = p.room
                RETURNING l.room, l.last_seq - p.posts AS base, chat_announce(l.room, l.last_seq)
            ), inserted AS (
                INSERT INTO events (room, seq, kind, user_id, user_name, message_id, content, sent_at)
                SELECT c.room, n.base + c.rank, 'message', c.user_id, c.name, c.message_id, c.content, c.sent_at
                FROM checked c JOIN counted n ON n.room = c.room WHERE c.outcome = 'posted'
            )
            SELECT c.item, CASE WHEN c.outcome = 'posted' AND n.room IS NULL THEN 'no-lobby' ELSE c.outcome END AS outcome,
                   CASE WHEN c.outcome = 'posted' THEN n.base + c.rank END AS seq, c.name
            FROM checked c LEFT JOIN counted n ON n.room = c.room ORDER BY c.item
            """)
}
