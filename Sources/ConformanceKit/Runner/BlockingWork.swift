import Foundation

/// Runs blocking work (socket waits) on a thread of its own, so that tests waiting on the
/// server never occupy the few threads of Swift's cooperative pool.
enum BlockingWork {
    /// `body`'s result, computed on a new thread.
    static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }
}
