import HTTPServer
import Synchronization

/// Reads of the same thing (one `Key`), answered by as few queries as can answer them without
/// ever answering older data than a query of their own would: a read joins the next query for
/// its key, the one not sent yet. While a query for the key is in flight, the reads that arrive
/// wait for the one that starts when it returns; so every answer comes from a query that began
/// after its read arrived, and a write committed anywhere before the read arrived is in it.
/// Under load, one query answers every read of its key that arrived during the previous one.
///
/// At most one query per key is in flight. A failure is every waiter's answer, and the next
/// query starts afresh. A waiter whose task is cancelled still gets its query's answer (the
/// query is shared, so one waiter's cancellation does not cancel it).
final class ReadCoalescer<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private typealias Waiter = CheckedContinuation<Result<Value, ChatError>, Never>

    /// A key with a query in flight: the reads waiting for the next one.
    private struct Reading {
        var next: [Waiter] = []
    }

    private let readings = Mutex<[Key: Reading]>([:])
    private let read: @Sendable (Key) async throws(ChatError) -> Value
    private let executor: QueueExecutor

    /// `read` runs the query for a key, once per batch, in a task of the coalescer's on
    /// `executor` (never the cooperative pool, which blocking callers may hold).
    init(executor: QueueExecutor, read: @escaping @Sendable (Key) async throws(ChatError) -> Value) {
        self.executor = executor
        self.read = read
    }

    /// The value for `key` from a query that starts after this call.
    func value(for key: Key) async throws(ChatError) -> Value {
        let result = await withCheckedContinuation { (waiter: Waiter) in
            let starts = readings.withLock { readings -> Bool in
                guard readings[key] == nil else {
                    readings[key]!.next.append(waiter)
                    return false
                }
                readings[key] = Reading()
                return true
            }
            if starts { run(key, first: [waiter]) }
        }
        return try result.get()
    }

    /// How many reads wait for the query after the one in flight for `key` (for tests).
    func waitingForNext(_ key: Key) -> Int {
        readings.withLock { $0[key]?.next.count ?? 0 }
    }

    /// Queries for `key` one after another, each answering the reads that arrived while the
    /// one before was in flight, until none are waiting.
    private func run(_ key: Key, first batch: [Waiter]) {
        Task(executorPreference: executor) { [self] in
            var batch = batch
            while true {
                let result: Result<Value, ChatError>
                do throws(ChatError) {
                    result = .success(try await read(key))
                } catch {
                    result = .failure(error)
                }
                // Under the same lock as the arrivals: a read either joins `next` (and the
                // query started below) or finds the key idle and starts one itself.
                let next = readings.withLock { readings -> [Waiter] in
                    let next = readings[key]?.next ?? []
                    if next.isEmpty { readings[key] = nil } else { readings[key]!.next = [] }
                    return next
                }
                for waiter in batch { waiter.resume(returning: result) }
                guard !next.isEmpty else { return }
                batch = next
            }
        }
    }
}
