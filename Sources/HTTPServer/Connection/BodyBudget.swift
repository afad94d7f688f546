import Synchronization

/// The request bodies every connection of a server is receiving, against
/// `HTTPLimits.maxTotalBodyBytes`: a parser reserves a body's declared length (a chunked body:
/// `maxBodyBytes`) when its head is in, and gives it back once the request is delivered or the
/// connection closes. A body that does not fit is refused before any of it is read, so clients
/// that park unfinished bodies cannot grow the server's memory past the budget.
///
/// Two shares keep one client from taking it all:
/// - the last `smallBodyReserve` bytes are for small bodies (`smallBodyBytes` at most, a chat
///   post) only: clients parking large bodies, from however many addresses, fill the rest and
///   leave room for the small posts of everyone else;
/// - one client (`ClientID`: an address, an IPv6 /64) holds at most `perClient` bytes, so
///   parking bodies of any size fills the budget only from many addresses.
final class BodyBudget: Sendable {
    let limit: Int
    /// What only small bodies may use: `HTTPLimits.smallBodyReserveBytes`, at most a quarter of
    /// the limit.
    let smallBodyReserve: Int
    /// The most one client may hold: `HTTPLimits.maxBodyBytesPerClient` (0: no bound).
    let perClient: Int
    /// The largest body the reserve takes.
    static let smallBodyBytes = 4096
    private let reserved = Atomic(0)
    /// What each client holds, for those holding anything.
    private let held = Mutex<[ClientID: Int]>([:])

    init(limit: Int, smallBodyReserve: Int = 0, perClient: Int = 0) {
        self.limit = limit
        self.smallBodyReserve = max(0, min(smallBodyReserve, limit / 4))
        self.perClient = perClient
    }

    /// A connection's view of the budget: what its client (nil: not counted per client, such
    /// as a trusted proxy's connection) reserves.
    struct Account: Sendable {
        let budget: BodyBudget
        let client: ClientID?

        /// Reserves `count` bytes; throws (and reserves nothing) when they would pass the
        /// client's share (`clientBodyShareSpent`) or the budget (`bodyBudgetSpent`; for a body
        /// larger than `smallBodyBytes`, the budget less the small bodies' reserve).
        func reserve(_ count: Int) throws(RequestError) {
            let budget = budget
            if let client, budget.perClient > 0 {
                let admitted = budget.held.withLock { held in
                    let after = held[client, default: 0] + count
                    guard after <= budget.perClient else { return false }
                    held[client] = after
                    return true
                }
                guard admitted else { throw .clientBodyShareSpent(limit: budget.perClient) }
            }
            guard budget.reserveTotal(count) else {
                budget.releaseShare(count, of: client)
                throw .bodyBudgetSpent
            }
        }

        /// Gives back `count` reserved bytes.
        func release(_ count: Int) {
            guard count != 0 else { return }
            budget.reserved.subtract(count, ordering: .relaxed)
            budget.releaseShare(count, of: client)
        }
    }

    /// The account of `client`'s connections.
    func account(for client: ClientID?) -> Account {
        Account(budget: self, client: client)
    }

    /// Bytes reserved now, across connections.
    var total: Int { reserved.load(ordering: .relaxed) }

    /// Bytes `client` holds now.
    func held(by client: ClientID) -> Int { held.withLock { $0[client] ?? 0 } }

    private func reserveTotal(_ count: Int) -> Bool {
        let ceiling = count <= Self.smallBodyBytes ? limit : limit - smallBodyReserve
        let after = reserved.add(count, ordering: .relaxed).newValue
        guard after > ceiling else { return true }
        reserved.subtract(count, ordering: .relaxed)
        return false
    }

    private func releaseShare(_ count: Int, of client: ClientID?) {
        guard let client, perClient > 0 else { return }
        held.withLock { held in
            let left = (held[client] ?? count) - count
            held[client] = left > 0 ? left : nil
        }
    }
}
