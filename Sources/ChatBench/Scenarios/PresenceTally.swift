import Synchronization

/// What the staying streams of the presence scenario received: counts any thread may read while
/// the loop's thread adds to them, and each stream's latest online count.
final class PresenceTally: Sendable {
    struct Counts {
        var events: Int
        var changes: Int
        var truncated: Int
        var bytes: Int
    }

    private let events = Atomic<Int>(0)
    private let changes = Atomic<Int>(0)
    private let truncated = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)
    private let online: Mutex<[Int]>

    init(streams: Int) {
        online = Mutex(Array(repeating: -1, count: streams))
    }

    /// One event's `data` on stream `index`: a `presence` event counts, with the changes it
    /// lists (its `"userId"` keys), whether it is truncated, and its `online` count.
    func note(_ index: Int, _ data: UnsafeRawBufferPointer) {
        guard Self.find("\"type\":\"presence\"", in: data) != nil else { return }
        events.add(1, ordering: .relaxed)
        bytes.add(data.count, ordering: .relaxed)
        changes.add(Self.count("\"userId\"", in: data), ordering: .relaxed)
        if Self.find("\"truncated\":true", in: data) != nil { truncated.add(1, ordering: .relaxed) }
        if let start = Self.find("],\"online\":", in: data) {
            var value = 0
            var position = start + 11
            while position < data.count, (48...57).contains(data[position]) {
                value = value * 10 + Int(data[position] - 48)
                position += 1
            }
            online.withLock { $0[index] = value }
        }
    }

    func snapshot() -> Counts {
        Counts(events: events.load(ordering: .relaxed), changes: changes.load(ordering: .relaxed),
               truncated: truncated.load(ordering: .relaxed), bytes: bytes.load(ordering: .relaxed))
    }

    /// Each stream's latest online count (-1: none seen).
    func lastOnline() -> [Int] { online.withLock { $0 } }

    private static func find(_ needle: String, in data: UnsafeRawBufferPointer) -> Int? {
        let pattern = Array(needle.utf8)
        guard data.count >= pattern.count else { return nil }
        outer: for start in 0...(data.count - pattern.count) {
            for offset in 0..<pattern.count where data[start + offset] != pattern[offset] { continue outer }
            return start
        }
        return nil
    }

    private static func count(_ needle: String, in data: UnsafeRawBufferPointer) -> Int {
        let pattern = Array(needle.utf8)
        guard data.count >= pattern.count else { return 0 }
        var found = 0
        outer: for start in 0...(data.count - pattern.count) {
            for offset in 0..<pattern.count where data[start + offset] != pattern[offset] { continue outer }
            found += 1
        }
        return found
    }
}
