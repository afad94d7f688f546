import Foundation

extension Thread {
    /// Starts `body` on a new thread, counted in `group`.
    static func detachNewThread(inGroup group: DispatchGroup, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        Thread.detachNewThread {
            body()
            group.leave()
        }
    }
}
