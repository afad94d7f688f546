import HTTPServer
import Synchronization

/// Reads of the same thing (one `Key`), answered by as few queries as can answer them without
/// ever answering older data than a query of their own would: a read joins the next query for
/// its key, the one not sent yet. While a query for the key is in flight, the reads that arrive
/// wait for the one that starts when it returns; so every answer comes from a query that began
/// after its read arrived, and a write committed anywhere before the read arrived is in it.
/// Under load, one query answers every read of its key that arrived during the previous one.
///
/// At most one query per key is in flight. A read that finds its key idle runs the query itself,
/// in its own task (no hop for a read alone); the queries for reads that waited run in a task of
/// the coalescer's. A failure is every waiter's answer, and the next query starts afresh. A
/// waiter whose task is cancelled still gets its query's answer; a shared query never runs in
/// a waiter's task, so no waiter's cancellation reaches it.
final class ReadCoalescer<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private typealias Waiter = CheckedContinuation<Result<Value, ChatError>?, Never>

    /// A key with a query in flight: the reads waiting for the next one.
    private struct Reading {
        var next: [Waiter] = []
    }

    private let readings = Mutex<[Key: Reading]>([:])
    private let read: @Sendable (Key) async throws(ChatError) -> Value
    private let executor: QueueExecutor

    /// `read` runs the query for a key. The queries for reads that waited run in a task of the
    /// coalescer's on `executor` (never the cooperative pool, which blocking callers may hold).
    init(executor: QueueExecutor, read: @escaping @Sendable (Key) async throws(ChatError) -> Value) {
        self.executor = executor
        self.read = read
    }

    /// The value for `key` from a query that starts after this call.
    func value(for key: Key) async throws(ChatError) -> Value {
        // Nil: the key was idle, and this read now leads its query.
        let waited = await withCheckedContinuation { (waiter: Waiter) in
            let joined = readings.withLock { readings -> Bool in
                guard readings[key] == nil else {
                    readings[key]!.next.append(waiter)
                    return true
                }
                readings[key] = Reading()
                return false
            }
            if !joined { waiter.resume(returning: nil) }
        }
        if let waited { return try waited.get() }
        let result = await query(key)
        if let next = finish(key) { run(key, first: next) }
        return try result.get()
    }

    /// How many reads wait for the query after the one in flight for `key` (for tests).
    func waitingForNext(_ key: Key) -> Int {
        readings.withLock { $0[key]?.next.count ?? 0 }
    }

    private func query(_ key: Key) async -> Result<Value, ChatError> {
        do throws(ChatError) {
            return .success(try await read(key))
        } catch {
            return .failure(error)
        }
    }

    /// The query for `key` returned: the reads that arrived meanwhile, who wait for the next
    /// one, or nil (the key is idle again). Under the same lock as the arrivals, so a read
    /// either joins those or finds the key idle and leads a query itself.
    private func finish(_ key: Key) -> [Waiter]? {
        readings.withLock { readings -> [Waiter]? in
            let next = readings[key]?.next ?? []
            guard !next.isEmpty else {
                readings[key] = nil
                return nil
            }
            readings[key]!.next = []
            return next
        }
    }

    /// Queries for `key` one after another, each answering the reads that arrived while the
    /// one before was in flight, until none are waiting.
    private func run(_ key: Key, first batch: [Waiter]) {
        Task(executorPreference: executor) { [self] in
            var batch = batch
            while true {
                let result = await query(key)
                let next = finish(key)
                for waiter in batch { waiter.resume(returning: result) }
                guard let next else { return }
                batch = next
            }
        }
    }
}
