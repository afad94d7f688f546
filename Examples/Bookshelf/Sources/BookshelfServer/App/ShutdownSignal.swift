import Dispatch
import Foundation

/// SIGINT and SIGTERM, handled on a queue instead of interrupting the process.
enum ShutdownSignal {
    // Kept alive for the life of the process; written only by `install`, called once at start.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    /// Runs `handler` on a background queue at SIGINT or SIGTERM.
    static func install(_ handler: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "bookshelf.signals")
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}
