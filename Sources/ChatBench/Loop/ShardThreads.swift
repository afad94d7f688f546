import Dispatch
import Foundation

/// Runs one piece of work per shard, at most one thread each: shard 0 on the calling thread,
/// the others on new threads, returning once all have finished. Everything a shard did is
/// visible to the caller afterwards (the group's wait orders it).
enum ShardThreads {
    /// Runs `work` for every shard in parallel and waits for all of them.
    static func run<Shard: Sendable>(_ shards: [Shard], _ work: @escaping @Sendable (Shard) -> Void) {
        let group = DispatchGroup()
        for shard in shards.dropFirst() {
            group.enter()
            let thread = Thread {
                work(shard)
                group.leave()
            }
            thread.name = "ChatBench.loop"
            thread.start()
        }
        if let first = shards.first { work(first) }
        group.wait()
    }
}
