import APIRuntime
import ChatAPI
import Dispatch
import Foundation
import HTTPServer
import PostgresClient
import Synchronization

/// Presence with PostgreSQL, for one instance: the tracker debounces this instance's
/// transitions, a writer applies them one at a time, in order, through `chat_presence`
/// (which announces the changes over every instance by `NOTIFY`), each instance's listener
/// hands those notices to its batcher, and a heartbeat keeps this instance's rows alive and
/// retires those of instances that stopped (killed) after the expiry.
final class PostgresPresence: Sendable {
    /// This instance's id in `presence_instances` (new at each start).
    let instance = UUID().uuidString.lowercased()
    let settings: PresenceSettings
    let tracker: PresenceTracker
    let batcher: PresenceBatcher
    private struct Write: Sendable {
        let room: String
        let userId: String
        let online: Bool
    }
    private let writes: AsyncStream<Write>.Continuation
    private let pending: AsyncStream<Write>
    private let tasks = Mutex<[Task<Void, Never>]>([])
    /// Where the writer and the heartbeat run: a queue of their own, not the cooperative pool
    /// (which blocking callers may hold).
    private let executor = QueueExecutor(queue: DispatchQueue(label: "chat.presence.postgres"))

    init(settings: PresenceSettings) {
        self.settings = settings
        tracker = PresenceTracker(grace: settings.grace)
        batcher = PresenceBatcher(settings: settings)
        (pending, writes) = AsyncStream.makeStream(of: Write.self)
    }

    /// Starts the writer and the heartbeat against `pool`; the batcher delivers to `followers`.
    func start(pool: PostgresPool, followers: PostgresChatStore.Followers) {
        let writes = writes
        tracker.start { room, userId, online in writes.yield(Write(room: room, userId: userId, online: online)) }
        batcher.start { room, frame in
            followers.byRoom.withLock { $0[room] }?.deliverEphemeral(frame) { $0.wantsPresence }
        }
        let pending = pending
        let instance = instance
        let writer = Task(executorPreference: executor) {
            for await write in pending {
                // Tried again each second while the database is away (in order: the writer is
                // serial), until it is written or the store closes.
                while !Task.isCancelled {
                    do throws(PostgresError) {
                        _ = try await pool.query(
                            "SELECT chat_presence($1, $2, $3, $4)", [instance, write.room, write.userId, write.online ? "true" : "false"])
                        break
                    } catch {
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }
        let settings = settings
        let tracker = tracker
        let heartbeat = Task(executorPreference: executor) {
            while !Task.isCancelled {
                do throws(PostgresError) {
                    let rows = try await pool.query("""
                        INSERT INTO presence_instances (id) VALUES ($1)
                        ON CONFLICT (id) DO UPDATE SET seen_at = now() RETURNING (xmax = 0) AS inserted
                        """, [instance])
                    // Made anew: at the start, or expired while away (its rows are gone, or will be
                    // as rows of no instance), so everyone it counts is written again.
                    if rows.first("inserted") == "t" { tracker.reannounce() }
                    _ = try await pool.query("SELECT chat_presence_expire($1)", [String(settings.instanceExpiry.seconds)])
                } catch {}
                try? await Task.sleep(for: settings.instanceHeartbeat)
            }
        }
        tasks.withLock { $0 = [writer, heartbeat] }
    }

    /// Stops the writer and the heartbeat (this instance's rows then expire elsewhere).
    func close() {
        writes.finish()
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }

    /// Hands the presence notice `payload` (`room presence 1|0 online userId name`) to the
    /// batcher; false when the payload is not one.
    func receive(_ payload: String) -> Bool {
        let parts = payload.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[1] == "presence" else { return false }
        guard let online = Int(parts[3]) else { return true }
        let change = Components.Schemas.PresenceChange(
            userId: String(parts[4]), name: parts.count > 5 ? String(parts[5]) : "", online: parts[2] == "1")
        batcher.changed(String(parts[0]), change, online: online)
        return true
    }
}
