import Synchronization

/// The request bodies every connection of a server is receiving, against
/// `HTTPLimits.maxTotalBodyBytes`: a parser reserves a body's declared length (a chunked body:
/// `maxBodyBytes`) when its head is in, and gives it back once the request is delivered or the
/// connection closes. A body that does not fit is answered 503 before any of it is read, so
/// clients that park unfinished bodies cannot grow the server's memory past the budget.
final class BodyBudget: Sendable {
    let limit: Int
    private let reserved = Atomic(0)

    init(limit: Int) {
        self.limit = limit
    }

    /// Reserves `count` bytes; false (and nothing reserved) when they would pass the limit.
    func reserve(_ count: Int) -> Bool {
        let after = reserved.add(count, ordering: .relaxed).newValue
        guard after > limit else { return true }
        reserved.subtract(count, ordering: .relaxed)
        return false
    }

    /// Gives back `count` reserved bytes.
    func release(_ count: Int) {
        guard count != 0 else { return }
        reserved.subtract(count, ordering: .relaxed)
    }

    /// Bytes reserved now, across connections.
    var total: Int { reserved.load(ordering: .relaxed) }
}
