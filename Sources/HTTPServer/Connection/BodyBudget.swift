import Synchronization

/// The request bodies every connection of a server is receiving, against
/// `HTTPLimits.maxTotalBodyBytes`: a parser reserves a body's declared length (a chunked body:
/// `maxBodyBytes`) when its head is in, and gives it back once the request is delivered or the
/// connection closes. A body that does not fit is answered 503 before any of it is read, so
/// clients that park unfinished bodies cannot grow the server's memory past the budget.
///
/// The last `smallBodyReserve` bytes of it are for small bodies (`smallBodyBytes` at most, a
/// chat post) only: clients parking large bodies, from however many addresses, fill the rest
/// and leave room for the small posts of everyone else.
final class BodyBudget: Sendable {
    let limit: Int
    /// What only small bodies may use: `HTTPLimits.smallBodyReserveBytes`, at most a quarter of
    /// the limit.
    let smallBodyReserve: Int
    /// The largest body the reserve takes.
    static let smallBodyBytes = 4096
    private let reserved = Atomic(0)

    init(limit: Int, smallBodyReserve: Int = 0) {
        self.limit = limit
        self.smallBodyReserve = max(0, min(smallBodyReserve, limit / 4))
    }

    /// Reserves `count` bytes; false (and nothing reserved) when they would pass the limit (for
    /// a body larger than `smallBodyBytes`, the limit less the small bodies' reserve).
    func reserve(_ count: Int) -> Bool {
        let ceiling = count <= Self.smallBodyBytes ? limit : limit - smallBodyReserve
        let after = reserved.add(count, ordering: .relaxed).newValue
        guard after > ceiling else { return true }
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
