import CSystemLinux
import Foundation
import Testing
@testable import ChatServer

/// The memory budget counts what the heap really holds for retained messages: measured with
/// glibc's own count of the bytes it has handed out (`mallinfo2`), not estimated. glibc counts
/// the whole process, so the measurement needs a process of its own: it runs with
/// `RETAINED_COST=1` and a filter (`.ci/run` does: `RETAINED_COST=1 swift test --skip-build
/// --filter RetainedCostTests`), and is skipped in the parallel run of everything.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["RETAINED_COST"] == "1",
                             "RETAINED_COST=1 is not set: the heap is measured in a process of its own"))
struct RetainedCostTests {
    /// Each size is measured a few times and the smallest growth kept (a stray allocation of
    /// the test runner's can only add to it).
    static let attempts = 3

    @Test(arguments: [20, 200, 4000]) func theBudgetCountsAtLeastWhatTheHeapHoldsForMessages(_ size: Int) throws {
        var best: (heap: Int, counted: Int)?
        for _ in 0..<Self.attempts {
            let measured = try measure(size: size, count: 10_000)
            if best == nil || measured.heap < best!.heap { best = measured }
        }
        let (heap, counted) = try #require(best)
        print("\(size)-character messages: the heap grew \(heap / 10_000) bytes a message, the budget counts \(counted / 10_000)")
        #expect(counted >= heap, "the budget counts all the heap holds for them")
        #expect(counted <= heap * 5 / 4, "and not much more")
    }

    /// The heap's growth and the budget's count for `count` posts of `size` characters.
    private func measure(size: Int, count: Int) throws -> (heap: Int, counted: Int) {
        var limits = ChatLimits()
        limits.retainedBytesBudget = 1 << 40
        let store = MemoryChatStore(limits: limits)
        let alice = try store.createUser(name: "alice")
        let rooms = try (0..<10).map { _ in try store.createLobby(room: nil).room }
        for room in rooms { _ = try store.join(room, userId: alice.id) }
        let content = String(repeating: "m", count: size)
        // Warm up: one post per lobby, so lazily made state is not counted as messages'.
        for room in rooms { _ = try store.post(room, userId: alice.id, content: content) }
        let heapBefore = Int(mallinfo2().uordblks)
        let countedBefore = store.state.withLock { $0.retainedBytes }
        for index in 0..<count {
            // Fresh strings, as a request's decoding makes them (shared ones would cost nothing).
            let room = String(decoding: Array(rooms[index % rooms.count].utf8), as: UTF8.self)
            let userId = String(decoding: Array(alice.id.utf8), as: UTF8.self)
            _ = try store.post(room, userId: userId, content: String(decoding: Array(content.utf8), as: UTF8.self))
        }
        let heap = Int(mallinfo2().uordblks) - heapBefore
        let counted = store.state.withLock { $0.retainedBytes } - countedBefore
        return (heap, counted)
    }
}
