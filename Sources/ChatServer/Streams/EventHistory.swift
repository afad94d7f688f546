/// The latest events of a lobby, already encoded, for replay on resume. A ring of fixed capacity:
/// appending past it forgets the oldest.
struct EventHistory: Sendable {
    let capacity: Int
    private var ring: [LiveEvent] = []
    private var head = 0
    /// What the retained events hold on the heap (`cost(of:)`), which the memory store's
    /// budget counts.
    private(set) var bytes = 0

    /// The ring grows as events come (by doubling, up to `capacity`), so an empty or quiet
    /// lobby holds no buffer for a thousand events.
    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// What one retained event holds: its frame's buffer, and its slot in the ring (one and a
    /// half times its size, as the ring grows by doubling).
    static func cost(of event: LiveEvent) -> Int {
        HeapCost.array(count: event.frame.bytes.count, stride: 1) + 3 * MemoryLayout<LiveEvent>.stride / 2
    }

    var count: Int { ring.count }

    /// The oldest retained seq, if any.
    var oldestSeq: Int? { ring.isEmpty ? nil : ring[head].seq }

    /// Appends the next event (seqs arrive in order, one apart).
    mutating func append(_ event: LiveEvent) {
        guard capacity > 0 else { return }
        bytes += Self.cost(of: event)
        if ring.count < capacity {
            ring.append(event)
        } else {
            bytes -= Self.cost(of: ring[head])
            ring[head] = event
            head = (head + 1) % capacity
        }
    }

    /// Forgets the events with seq up to `seq` (the memory budget trimmed their messages), so
    /// a resume from before them gets `resync`.
    mutating func dropThrough(_ seq: Int) {
        let kept = (0..<ring.count).map { ring[(head + $0) % ring.count] }.filter { $0.seq > seq }
        guard kept.count < ring.count else { return }
        ring = kept
        head = 0
        bytes = kept.reduce(0) { $0 + Self.cost(of: $1) }
    }

    /// The retained events with seq greater than `seq`, oldest first.
    func events(after seq: Int) -> [LiveEvent] {
        guard let oldest = oldestSeq else { return [] }
        let skip = max(0, seq - oldest + 1)
        guard skip < ring.count else { return [] }
        return (skip..<ring.count).map { ring[(head + $0) % ring.count] }
    }
}
