import Dispatch
import Synchronization

/// Hands the heap's free pages back once a crowd of connections has gone: every 2 s it compares
/// the open connections with their high-water mark since the last release, and when at least
/// `threshold` have closed, releases (`malloc_trim`), so RSS comes back near its baseline after a
/// flood instead of staying at the peak. A quiet or steady server never pays for it.
final class MemoryRelease: Sendable {
    private let timer: DispatchSourceTimerBox

    /// The most connections open since the last release.
    private final class HighWater: Sendable {
        let mark = Mutex(0)
    }

    /// Starts watching `count` (the open connections); releases after `threshold` have closed.
    init(threshold: Int = 1000, count: @escaping @Sendable () -> Int) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "HTTPServer.memory", qos: .utility))
        self.timer = DispatchSourceTimerBox(timer)
        timer.schedule(deadline: .now() + 2, repeating: 2, leeway: .milliseconds(500))
        let highWater = HighWater()
        timer.setEventHandler {
            let open = count()
            let release = highWater.mark.withLock { mark in
                mark = max(mark, open)
                guard mark - open >= threshold else { return false }
                mark = open
                return true
            }
            if release { System.releaseFreeMemory() }
        }
        timer.resume()
    }

    /// Stops watching.
    func stop() { timer.source.cancel() }
}

/// A Dispatch timer held by a `Sendable` owner.
///
/// `@unchecked Sendable`: the source is set once and only cancelled afterwards; Dispatch
/// sources are thread-safe to cancel.
struct DispatchSourceTimerBox: @unchecked Sendable {
    let source: DispatchSourceTimer

    init(_ source: DispatchSourceTimer) {
        self.source = source
    }
}
