import Dispatch
import HTTPServer
import Logging

/// Runs `ChatStore.reclaim` every so often (a quarter of the shorter lifetime, at most a minute
/// apart, at least a second), so that retired lobbies free their codes and memory even when no
/// creation meets a cap, and logs what went: the retirement's event for operators.
///
/// `@unchecked Sendable`: `timer` is set once in `init` and only cancelled after (Dispatch
/// sources are thread-safe to cancel).
final class Reclaimer: @unchecked Sendable {
    private let timer: DispatchSourceTimer

    /// Starts reclaiming `store`; nothing runs when both lifetimes are 0.
    init(store: any ChatStore, logger: Logger) {
        let queue = DispatchQueue(label: "chat.reclaim")
        let executor = QueueExecutor(queue: queue)
        timer = DispatchSource.makeTimerSource(queue: queue)
        let lifetimes = [store.limits.emptyLobbyLifetime, store.limits.unusedUserLifetime].map(\.seconds).filter { $0 > 0 }
        guard let shortest = lifetimes.min() else { return }
        let interval = min(60, max(1, shortest / 4))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler {
            Task(executorPreference: executor) {
                do throws(ChatError) {
                    let reclaimed = try await store.reclaim()
                    guard !reclaimed.rooms.isEmpty || reclaimed.users > 0 else { return }
                    logger.info("reclaimed: \(reclaimed.rooms.count) empty lobbies retired, \(reclaimed.users) unused users expired",
                                metadata: ["rooms": "\(reclaimed.rooms.prefix(20).joined(separator: ","))"])
                } catch {
                    logger.notice("reclaim failed: \(error)")
                }
            }
        }
        timer.resume()
    }

    /// Stops reclaiming.
    func stop() { timer.cancel() }
}
