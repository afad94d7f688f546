import Synchronization

/// The bytes every connection of a server has queued and unsent, against
/// `HTTPLimits.maxTotalOutputBytes`: each output adds what it queues and takes back what the
/// socket took or what closing dropped.
final class OutputBudget: Sendable {
    let limit: Int
    private let queued = Atomic(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Counts `delta` bytes queued (negative: sent or dropped).
    func add(_ delta: Int) {
        guard delta != 0 else { return }
        queued.add(delta, ordering: .relaxed)
    }

    /// Whether the server holds more unsent bytes than it may.
    var isExceeded: Bool { queued.load(ordering: .relaxed) > limit }

    /// Bytes queued and unsent, across connections.
    var total: Int { queued.load(ordering: .relaxed) }
}
