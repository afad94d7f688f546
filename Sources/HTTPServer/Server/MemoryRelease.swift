import Dispatch
import EventLoop

/// Hands the heap's free pages back once a crowd of connections has gone: every 2 s it asks
/// whether `threshold` connections have closed since the most were open (`crowdLeft`), and if so
/// releases (`malloc_trim`), so RSS comes back near its baseline after a flood instead of staying
/// at the peak. A quiet or steady server never pays for it.
final class MemoryRelease: Sendable {
    private let timer: DispatchSourceTimerBox

    /// Starts asking `crowdLeft` every 2 s.
    init(crowdLeft: @escaping @Sendable () -> Bool) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "HTTPServer.memory", qos: .utility))
        self.timer = DispatchSourceTimerBox(timer)
        timer.schedule(deadline: .now() + 2, repeating: 2, leeway: .milliseconds(500))
        timer.setEventHandler {
            if crowdLeft() { System.releaseFreeMemory() }
        }
        timer.resume()
    }

    /// Stops asking.
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
