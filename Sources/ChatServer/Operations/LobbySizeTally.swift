import Synchronization

/// How many lobbies hold how many open streams, kept up to date as streams open and close, so
/// that `/metrics` reads a few counts instead of visiting every lobby: its cost does not grow
/// with the number of lobbies. Buckets are `bounds` then `+Inf`; a lobby without streams is in
/// none.
final class LobbySizeTally: Sendable {
    /// Upper bounds of the buckets (streams per lobby); `+Inf` follows.
    static let bounds = [1, 2, 5, 10, 50, 100, 500, 1000, 5000, 10_000]

    private let counts = Mutex([Int](repeating: 0, count: LobbySizeTally.bounds.count + 1))

    init() {}

    /// A lobby's open streams went from `old` to `new`.
    func changed(from old: Int, to new: Int) {
        let (before, after) = (Self.bucket(of: old), Self.bucket(of: new))
        guard before != after else { return }
        counts.withLock { counts in
            if let before { counts[before] -= 1 }
            if let after { counts[after] += 1 }
        }
    }

    /// Lobbies with at most each bound of streams (at least one), then with any: the gauge's values.
    func cumulative() -> [Int] {
        let counts = counts.withLock { $0 }
        var total = 0
        return counts.map { count in
            total += count
            return total
        }
    }

    /// The cumulative counts of `sizes` (one lobby's open streams each), for a store that lists them.
    static func cumulative(of sizes: [Int]) -> [Int] {
        let tally = LobbySizeTally()
        for size in sizes { tally.changed(from: 0, to: size) }
        return tally.cumulative()
    }

    /// The bucket of a lobby with `streams` open: nil for none.
    private static func bucket(of streams: Int) -> Int? {
        guard streams > 0 else { return nil }
        return bounds.firstIndex { streams <= $0 } ?? bounds.count
    }
}
