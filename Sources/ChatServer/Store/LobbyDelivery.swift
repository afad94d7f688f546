import APIRuntime
import ChatAPI
import Dispatch

/// Writes a lobby's events to its streams, in seq order, off the store's lock.
///
/// Events that queue up while a round of writes runs go out together in the next round: one
/// write per stream carries them all, instead of one per event. Each event is still encoded
/// once, and a batch's bytes are joined once and shared by every recipient. A batch never spans
/// a change of the subscriber set or an action to run after an event (ending the streams of a
/// user who left), so every stream sees exactly the events it would have seen one by one.
final class LobbyDelivery: @unchecked Sendable {
    // `pending` and `isFlushScheduled` are touched only on `queue`, which is serial.
    private let queue: DispatchQueue
    private var pending: [Delivery] = []
    private var isFlushScheduled = false

    /// The most bytes one batched write carries (a single larger event still goes alone).
    private let maxBatchBytes: Int

    private struct Delivery {
        let frame: EncodedEvent<ChatEvent>
        let recipients: [Subscriber]
        /// Equal versions mean equal recipients.
        let recipientsVersion: Int
        let then: (@Sendable () -> Void)?
    }

    init(label: String, target: DispatchQueue, maxBatchBytes: Int = 64 * 1024) {
        queue = DispatchQueue(label: label, target: target)
        self.maxBatchBytes = maxBatchBytes
    }

    /// Queues `frame` for `recipients`, then `then`. Called under the store's lock, so calls
    /// arrive in seq order.
    func deliver(
        _ frame: EncodedEvent<ChatEvent>, to recipients: [Subscriber], version: Int,
        then: (@Sendable () -> Void)? = nil
    ) {
        queue.async { [self] in
            pending.append(Delivery(frame: frame, recipients: recipients, recipientsVersion: version, then: then))
            if !isFlushScheduled {
                isFlushScheduled = true
                queue.async { self.flush() }
            }
        }
    }

    /// Sends a new stream its replay, after everything queued before it.
    func replay(_ frames: [EncodedEvent<ChatEvent>], to subscriber: Subscriber) {
        guard !frames.isEmpty else { return }
        queue.async { [self] in
            flush()
            subscriber.sink.send(EncodedEvent.joined(frames))
        }
    }

    /// Returns once every event queued before the call has been written to its streams (and
    /// the actions queued with them have run). Shutdown awaits it before it ends the streams.
    func deliverQueued() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                flush()
                continuation.resume()
            }
        }
    }

    private func flush() {
        isFlushScheduled = false
        var start = 0
        while start < pending.count {
            var end = start
            var bytes = pending[start].frame.bytes.count
            while end + 1 < pending.count, pending[end].then == nil,
                pending[end + 1].recipientsVersion == pending[start].recipientsVersion,
                bytes + pending[end + 1].frame.bytes.count <= maxBatchBytes
            {
                end += 1
                bytes += pending[end].frame.bytes.count
            }
            let batch = start == end ? pending[start].frame : EncodedEvent.joined(pending[start...end].map(\.frame))
            for subscriber in pending[start].recipients { subscriber.sink.send(batch) }
            pending[end].then?()
            start = end + 1
        }
        pending.removeAll(keepingCapacity: pending.count <= 1024)
    }
}
