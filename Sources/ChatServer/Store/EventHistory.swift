import APIRuntime
import ChatAPI

/// The latest events of a lobby, already encoded, for replay on resume. A ring of fixed capacity:
/// appending past it forgets the oldest.
struct EventHistory: Sendable {
    /// One retained event: its sequence number and its frame.
    struct Entry: Sendable {
        var seq: Int
        var frame: EncodedEvent<ChatEvent>
    }

    let capacity: Int
    private var ring: [Entry] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        ring.reserveCapacity(min(self.capacity, 1024))
    }

    var count: Int { ring.count }

    /// The oldest retained seq, if any.
    var oldestSeq: Int? { ring.isEmpty ? nil : ring[head].seq }

    /// Appends the next event (seqs arrive in order, one apart).
    mutating func append(_ entry: Entry) {
        guard capacity > 0 else { return }
        if ring.count < capacity {
            ring.append(entry)
        } else {
            ring[head] = entry
            head = (head + 1) % capacity
        }
    }

    /// The retained frames with seq greater than `seq`, oldest first.
    func frames(after seq: Int) -> [EncodedEvent<ChatEvent>] {
        guard let oldest = oldestSeq else { return [] }
        let skip = max(0, seq - oldest + 1)
        guard skip < ring.count else { return [] }
        return (skip..<ring.count).map { ring[(head + $0) % ring.count].frame }
    }
}
