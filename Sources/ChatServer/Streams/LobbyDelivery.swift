import APIRuntime
import ChatAPI
import Dispatch
import Foundation
import HTTPServer
import Synchronization

/// Writes a lobby's events to its streams, in seq order, off the store's lock, with the writes
/// of a big lobby spread over shards that run in parallel (one per core by default).
///
/// The work goes out in rounds, and a round starts only when the one before is written
/// everywhere. Within a round each stream belongs to one shard (chosen from its identity), and
/// a shard writes its part in order, so every stream gets its events in seq order and exactly
/// once while the shards write at the same time. A round with fewer than `minWritesPerShard`
/// writes for each shard is written by fewer shards; one that needs only one (every round of
/// a small lobby) is written on the lobby's own queue, as before sharding: a hop to another
/// core costs more than it saves there.
///
/// Events that queue up while a round runs go out together in the next one, one write per
/// stream carrying them all. Each event is encoded once, and a batch's bytes are joined once
/// and shared by every recipient of every shard. A batch never spans a change of the
/// subscriber set; a round ends at an action to run after an event (ending the streams of a
/// user who left) or a `deliverQueued` fence, which runs once every shard has written the
/// round. So every stream sees exactly the events it would have seen one by one.
final class LobbyDelivery: @unchecked Sendable {
    // `pending`, `isRoundRunning` and `partition` are touched only on `queue`, which is serial;
    // `inbox` is how callers hand steps to it; a round's shard work is handed over as values.
    private let queue: DispatchQueue
    private let shards: [DispatchQueue]
    private var pending: [Step] = []
    /// Steps handed over by callers and not yet moved to `pending`, and whether a drain of them
    /// is queued: the one hop a burst of posts costs, however many join it meanwhile.
    private let inbox = Mutex(Inbox())
    /// Events queued and not yet taken into a round: how far the streams are behind.
    private let waiting = Atomic(0)
    private var isRoundRunning = false
    /// The recipients of the last version seen, split by shard; dropped when the delivery goes
    /// idle, so it never holds streams that closed since.
    private var partition: (version: Int, byShard: [[Subscriber]])?

    /// The most bytes one batched write carries (a single larger event still goes alone).
    private let maxBatchBytes: Int
    /// The fewest writes (one batch to one stream) a round gives each shard it uses.
    private let minWritesPerShard: Int

    private struct Inbox: ~Copyable {
        var steps: [Step] = []
        var isDrainQueued = false
    }

    private enum Step {
        case frame(Delivery)
        /// A new stream's replay: after the steps before it, before the ones after.
        case replay(EncodedEvent<Components.Schemas.ChatEvent>, Subscriber)
        /// Runs once everything before it is written.
        case fence(@Sendable () -> Void)

        var delivery: Delivery? {
            if case .frame(let delivery) = self { delivery } else { nil }
        }
    }

    private struct Delivery {
        let frame: EncodedEvent<Components.Schemas.ChatEvent>
        let recipients: [Subscriber]
        /// Equal versions mean equal recipients.
        let recipientsVersion: Int
        let then: (@Sendable () -> Void)?
    }

    /// One write of a round, as one shard does it: the same bytes to each recipient, in order.
    private struct ShardWrite: Sendable {
        let event: EncodedEvent<Components.Schemas.ChatEvent>
        let recipients: [Subscriber]
    }

    /// Queues its work on `target` (through queues of its own); up to `shardCount` serial
    /// shards write in parallel if `target` is concurrent, each given at least
    /// `minWritesPerShard` writes of a round.
    init(
        label: String, target: DispatchQueue, maxBatchBytes: Int = 64 * 1024,
        shardCount: Int = ProcessInfo.processInfo.activeProcessorCount, minWritesPerShard: Int = 2048
    ) {
        queue = DispatchQueue(label: label, target: target)
        shards = (0..<max(1, shardCount)).map { DispatchQueue(label: "\(label).shard\($0)", target: target) }
        self.maxBatchBytes = maxBatchBytes
        self.minWritesPerShard = max(1, minWritesPerShard)
    }

    /// Queues `frame` for `recipients`, then `then`. Called under the store's lock, so calls
    /// arrive in seq order.
    func deliver(
        _ frame: EncodedEvent<Components.Schemas.ChatEvent>, to recipients: [Subscriber], version: Int,
        then: (@Sendable () -> Void)? = nil
    ) {
        waiting.add(1, ordering: .relaxed)
        append(.frame(Delivery(frame: frame, recipients: recipients, recipientsVersion: version, then: then)))
    }

    /// How many events wait for delivery; posts are refused past `ChatLimits.maxDeliveryBacklog`.
    var backlog: Int { waiting.load(ordering: .relaxed) }

    /// Called by a poster once its event is queued, under no lock: when `threshold` events or
    /// more wait, it drains them on its own thread (after the round that runs, if one does), so
    /// a lobby's posts slow to the pace its streams take them instead of being refused at the
    /// backlog bound while a Dispatch worker waits for a core.
    func keepUp(past threshold: Int) {
        guard backlog >= threshold else { return }
        queue.sync { drain() }
    }

    /// Sends a new stream its replay, after everything queued before it.
    func replay(_ frames: [EncodedEvent<Components.Schemas.ChatEvent>], to subscriber: Subscriber) {
        guard !frames.isEmpty else { return }
        append(.replay(EncodedEvent.joined(frames), subscriber))
    }

    /// Returns once every event queued before the call has been written to its streams (and
    /// the actions queued with them have run). Shutdown awaits it before it ends the streams.
    func deliverQueued() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            afterQueued { continuation.resume() }
        }
    }

    /// Runs `action` on the delivery queue once everything queued before it is written (ending
    /// a stream after its last event, never under the caller's lock).
    func afterQueued(_ action: @escaping @Sendable () -> Void) {
        append(.fence(action))
    }

    /// The shard that writes to `subscriber`, for as long as it is subscribed.
    func shardIndex(of subscriber: Subscriber) -> Int {
        Int(UInt(bitPattern: ObjectIdentifier(subscriber).hashValue) % UInt(shards.count))
    }

    // MARK: On the queue

    /// Hands `step` to the queue: callers (serialized by their store) add to the inbox in order,
    /// and only the first since the last drain queues one; steps that arrive before it runs
    /// join the same round. So a post costs at most one `queue.async`, not one per step.
    private func append(_ step: Step) {
        let queueDrain = inbox.withLock { inbox in
            inbox.steps.append(step)
            defer { inbox.isDrainQueued = true }
            return !inbox.isDrainQueued
        }
        if queueDrain { queue.async { self.drain() } }
    }

    private func drain() {
        let steps = inbox.withLock { inbox in
            inbox.isDrainQueued = false
            return Self.take(&inbox.steps)
        }
        if pending.isEmpty { pending = steps } else { pending.append(contentsOf: steps) }
        startRound()
    }

    /// `steps`' contents, leaving it empty with room for as many (the next burst is likely alike).
    private static func take(_ steps: inout [Step]) -> [Step] {
        let taken = steps
        steps.removeAll(keepingCapacity: taken.count <= 1024)
        return taken
    }

    /// Starts the next round, if none runs and steps wait: it takes them up to the first
    /// action, hands each shard its writes, and runs the action once the last shard is done;
    /// the round after starts then. (A round with nothing to write ends at once; one that needs
    /// a single shard is written right here.)
    private func startRound() {
        while !isRoundRunning, !pending.isEmpty {
            let (work, action) = takeRound()
            let jobs = jobs(for: work)
            guard jobs.count > 1 else {
                // One shard's worth: written here, with no hop to another queue and back.
                if let job = jobs.first { Self.write(job) }
                action?()
                continue
            }
            isRoundRunning = true
            let unfinished = RoundCounter(jobs.count)
            for (shard, job) in jobs.enumerated() {
                // Any shard's queue will do: no stream is in two jobs, and no two rounds overlap.
                shards[shard].async { [self] in
                    Self.write(job)
                    if unfinished.finishOne() { queue.async { self.roundFinished(then: action) } }
                }
            }
        }
        if !isRoundRunning { partition = nil }
    }

    /// Writes a job as one batch: one `io_uring_enter` for many streams where io_uring is on
    /// (`--stream-sends`), a `send` per stream otherwise.
    private static func write(_ job: [[ShardWrite]]) {
        let batch = StreamWriteBatch()
        for writes in job {
            for write in writes {
                for subscriber in write.recipients { subscriber.sink.send(write.event, in: batch) }
            }
        }
        batch.flush()
    }

    private func roundFinished(then action: (@Sendable () -> Void)?) {
        isRoundRunning = false
        if pending.isEmpty { partition = nil }
        action?()
        startRound()
    }

    /// Removes the steps of the next round from `pending`: each shard's writes, and the action
    /// that ends the round.
    private func takeRound() -> (work: [[ShardWrite]], action: (@Sendable () -> Void)?) {
        var work = Array(repeating: [ShardWrite](), count: shards.count)
        var action: (@Sendable () -> Void)?
        var index = 0
        while index < pending.count, action == nil {
            switch pending[index] {
            case .fence(let done):
                action = done
                index += 1
            case .replay(let frames, let subscriber):
                work[shardIndex(of: subscriber)].append(ShardWrite(event: frames, recipients: [subscriber]))
                index += 1
            case .frame(let first):
                let end = batchEnd(from: index)
                let batch = index == end ? first.frame : EncodedEvent.joined(pending[index...end].compactMap { $0.delivery?.frame })
                for (shard, recipients) in recipients(of: first).enumerated() where !recipients.isEmpty {
                    work[shard].append(ShardWrite(event: batch, recipients: recipients))
                }
                action = pending[end].delivery?.then
                waiting.subtract(end - index + 1, ordering: .relaxed)
                Self.deliveredEvents.add((end - index + 1) * first.recipients.count, ordering: .relaxed)
                index = end + 1
            }
        }
        pending.removeFirst(index)
        if pending.isEmpty { pending.removeAll(keepingCapacity: pending.capacity <= 1024) }
        return (work, action)
    }

    /// The shards' writes of a round grouped into as many jobs as it has `minWritesPerShard`
    /// writes (at least one, at most one per busy shard); none if there is nothing to write.
    private func jobs(for work: [[ShardWrite]]) -> [[[ShardWrite]]] {
        let busy = work.filter { !$0.isEmpty }
        let writes = busy.reduce(0) { total, shard in shard.reduce(total) { $0 + $1.recipients.count } }
        let count = Self.jobCount(writes: writes, busyShards: busy.count, minWritesPerShard: minWritesPerShard)
        var jobs = Array(repeating: [[ShardWrite]](), count: count)
        for (index, shard) in busy.enumerated() { jobs[index % count].append(shard) }
        return jobs
    }

    /// How many shards write a round of `writes` spread over `busyShards`.
    static func jobCount(writes: Int, busyShards: Int, minWritesPerShard: Int) -> Int {
        guard busyShards > 0 else { return 0 }
        return max(1, min(busyShards, writes / minWritesPerShard))
    }

    /// The last index of the batch that starts with the frame at `start`: frames for the same
    /// recipients, up to `maxBatchBytes`, ending at one with an action.
    private func batchEnd(from start: Int) -> Int {
        guard let first = pending[start].delivery else { return start }
        var end = start
        var bytes = first.frame.bytes.count
        while pending[end].delivery?.then == nil, end + 1 < pending.count,
            let next = pending[end + 1].delivery, next.recipientsVersion == first.recipientsVersion,
            bytes + next.frame.bytes.count <= maxBatchBytes
        {
            end += 1
            bytes += next.frame.bytes.count
        }
        return end
    }

    /// `delivery`'s recipients split by shard, computed once per version.
    private func recipients(of delivery: Delivery) -> [[Subscriber]] {
        if shards.count == 1 { return [delivery.recipients] }
        if let partition, partition.version == delivery.recipientsVersion { return partition.byShard }
        var byShard = Array(repeating: [Subscriber](), count: shards.count)
        for subscriber in delivery.recipients { byShard[shardIndex(of: subscriber)].append(subscriber) }
        partition = (delivery.recipientsVersion, byShard)
        return byShard
    }
}

/// The shards of a round that have not finished yet.
private final class RoundCounter: Sendable {
    private let remaining: Atomic<Int>

    init(_ count: Int) {
        remaining = Atomic(count)
    }

    /// Counts one shard done; true for the last.
    func finishOne() -> Bool {
        remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0
    }
}
