import Foundation
import HTTPServer
import Synchronization
import Testing
@testable import ChatServer

/// `ReadCoalescer`: a read is answered by a query that began after it arrived, never by the one
/// in flight when it came; the reads that wait together share one query, its failure included.
struct ReadCoalescerTests {
    /// Queries that each return their own number (1, 2, …) once the test lets them, or fail
    /// when their number is in `failing`; `cancelledInside` holds the numbers of those that saw
    /// their task cancelled.
    final class GatedQueries: Sendable {
        private struct State {
            var started = 0
            var gates: [CheckedContinuation<Void, Never>] = []
            var cancelledInside: Set<Int> = []
        }
        private let state = Mutex(State())
        let failing: Set<Int>

        init(failing: Set<Int> = []) { self.failing = failing }

        var started: Int { state.withLock { $0.started } }
        var gated: Int { state.withLock { $0.gates.count } }
        var cancelledInside: Set<Int> { state.withLock { $0.cancelledInside } }

        func query() async throws(ChatError) -> Int {
            let number = state.withLock { state in
                state.started += 1
                return state.started
            }
            await withCheckedContinuation { gate in state.withLock { $0.gates.append(gate) } }
            if Task.isCancelled { state.withLock { _ = $0.cancelledInside.insert(number) } }
            if failing.contains(number) { throw .storeUnavailable }
            return number
        }

        /// Lets the oldest waiting query return.
        func release() {
            state.withLock { $0.gates.isEmpty ? nil : $0.gates.removeFirst() }?.resume()
        }
    }

    private let executor = QueueExecutor(queue: DispatchQueue(label: "test.coalescer", attributes: .concurrent))

    private func make(_ queries: GatedQueries) -> ReadCoalescer<String, Int> {
        ReadCoalescer(executor: executor) { _ throws(ChatError) in try await queries.query() }
    }

    /// Waits (at most 5 s) until `condition` holds.
    private func until(_ condition: () -> Bool) async throws {
        for _ in 0..<5000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
        try #require(condition())
    }

    private func read(_ coalescer: ReadCoalescer<String, Int>, _ key: String = "page") -> Task<Int, any Error> {
        Task { try await coalescer.value(for: key) }
    }

    /// A read whose query is in flight, and two reads that arrived after it.
    private func firstInFlightAndTwoWaiting() async throws -> (
        GatedQueries, ReadCoalescer<String, Int>, first: Task<Int, any Error>, second: Task<Int, any Error>, third: Task<Int, any Error>
    ) {
        let queries = GatedQueries()
        let coalescer = make(queries)
        let first = read(coalescer)
        try await until { queries.gated == 1 }
        let second = read(coalescer), third = read(coalescer)
        try await until { coalescer.waitingForNext("page") == 2 }
        return (queries, coalescer, first, second, third)
    }

    @Test func aReadArrivingWhileAQueryIsInFlightWaitsForTheNextOneWithTheOthersThatArrived() async throws {
        let (queries, coalescer, first, second, third) = try await firstInFlightAndTwoWaiting()
        // Another key does not wait for this one.
        let other = read(coalescer, "other page")
        try await until { queries.gated == 2 }
        #expect(queries.started == 2)

        queries.release()
        #expect(try await first.value == 1)
        // The next query starts as the first returns, for both reads that waited.
        try await until { queries.gated == 2 }
        #expect(queries.started == 3)
        let fourth = read(coalescer)  // arrives while the second query for the key is in flight
        try await until { coalescer.waitingForNext("page") == 1 }
        queries.release()
        #expect(try await other.value == 2)
        queries.release()
        #expect(try await second.value == 3)
        #expect(try await third.value == 3)
        try await until { queries.gated == 1 }
        queries.release()
        #expect(try await fourth.value == 4)
        #expect(queries.started == 4)
        #expect(coalescer.waitingForNext("page") == 0)
    }

    @Test func aFailureAnswersEveryReadOfItsQueryAndTheNextQueryStartsAfresh() async throws {
        let queries = GatedQueries(failing: [2])
        let coalescer = make(queries)
        let first = read(coalescer)
        try await until { queries.gated == 1 }
        let waiting = (0..<3).map { _ in read(coalescer) }
        try await until { coalescer.waitingForNext("page") == 3 }
        queries.release()
        #expect(try await first.value == 1)
        try await until { queries.gated == 1 }
        queries.release()
        for reading in waiting {
            await #expect(throws: ChatError.storeUnavailable) { try await reading.value }
        }
        let after = read(coalescer)
        try await until { queries.gated == 1 }
        queries.release()
        #expect(try await after.value == 3)
    }

    /// The first read leads its own query (in its task); the second one's cancellation does
    /// not reach the query it shares with the third.
    @Test func aCancelledReadNeitherCancelsTheSharedQueryNorLosesTheOthers() async throws {
        let (queries, coalescer, first, second, third) = try await firstInFlightAndTwoWaiting()
        first.cancel()
        second.cancel()
        queries.release()
        #expect(try await first.value == 1)
        try await until { queries.gated == 1 }
        queries.release()
        #expect(try await second.value == 2)
        #expect(try await third.value == 2)
        #expect(!queries.cancelledInside.contains(2))
        #expect(coalescer.waitingForNext("page") == 0)
    }

    /// Many reads at once over queries that take a moment: every read is answered, by a query
    /// numbered past every query that had started before it arrived, and fewer queries run
    /// than reads.
    @Test func underLoadEveryReadIsAnsweredByAQueryThatStartedAfterItArrived() async throws {
        final class Counter: Sendable {
            let value = Atomic(0)
        }
        let started = Counter()
        let coalescer = ReadCoalescer<String, Int>(executor: executor) { _ throws(ChatError) in
            let number = started.value.add(1, ordering: .sequentiallyConsistent).newValue
            try? await Task.sleep(for: .milliseconds(2))
            return number
        }
        let reads = 300
        let answers = try await withThrowingTaskGroup(of: (before: Int, answer: Int).self) { group in
            for index in 0..<reads {
                group.addTask {
                    let before = started.value.load(ordering: .sequentiallyConsistent)
                    return (before, try await coalescer.value(for: index % 3 == 0 ? "a" : "b"))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == reads)
        #expect(answers.allSatisfy { $0.answer > $0.before })
        #expect(started.value.load(ordering: .sequentiallyConsistent) < reads)
    }
}
