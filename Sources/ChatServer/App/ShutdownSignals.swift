import Dispatch
import Synchronization
import Foundation

/// SIGINT and SIGTERM, handled on a queue instead of interrupting the process.
enum ShutdownSignals {
    // Kept alive for the life of the process; touched only from `install`, called once at start.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Runs `handler` once, on a background queue, at the first SIGINT or SIGTERM.
    static func install(_ handler: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "chat.signals")
        let once = OnceFlag()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler {
                if once.claim() { handler() }
            }
            source.resume()
            return source
        }
    }
}

/// True for the first caller only.
final class OnceFlag: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}
