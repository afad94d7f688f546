/// The latest events of a lobby, already encoded, for replay on resume. A ring of fixed capacity:
/// appending past it forgets the oldest.
struct EventHistory: Sendable {
    let capacity: Int
    private var ring: [LiveEvent] = []
    private var head = 0
    /// The bytes of the retained frames, which the memory store's budget counts.
    private(set) var bytes = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        ring.reserveCapacity(min(self.capacity, 1024))
    }

    var count: Int { ring.count }

    /// The oldest retained seq, if any.
    var oldestSeq: Int? { ring.isEmpty ? nil : ring[head].seq }

    /// Appends the next event (seqs arrive in order, one apart).
    mutating func append(_ event: LiveEvent) {
        guard capacity > 0 else { return }
        bytes += event.frame.bytes.count
        if ring.count < capacity {
            ring.append(event)
        } else {
            bytes -= ring[head].frame.bytes.count
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
        bytes = kept.reduce(0) { $0 + $1.frame.bytes.count }
    }

    /// The retained events with seq greater than `seq`, oldest first.
    func events(after seq: Int) -> [LiveEvent] {
        guard let oldest = oldestSeq else { return [] }
        let skip = max(0, seq - oldest + 1)
        guard skip < ring.count else { return [] }
        return (skip..<ring.count).map { ring[(head + $0) % ring.count] }
    }
}
