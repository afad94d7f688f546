/// The memory store's index of memberships by user: the lobbies each user is in, in join
/// order, and how far they have read each. Join, leave and post keep it in O(1) (amortized), so
/// listing a user's lobbies reads only theirs, never every lobby.
struct MemberReadings {
    /// One user's membership of one lobby.
    struct Membership {
        /// Orders a user's lobbies by join, and is the page cursor (1 for the first join ever).
        let joinOrder: Int
        /// The seq of the member's join event (where a user stream that missed it starts).
        let joinSeq: Int
        /// The seq of the last event the member has read: their join event's at first.
        var readSeq: Int
        /// The seqs of the member's own messages after `readSeq`, ascending: unread counts only
        /// other users' messages. A slice, so dropping its front is O(1); trimmed as the read
        /// position passes them and as the lobby's retained messages drop them.
        var ownSeqs: ArraySlice<Int> = []

        /// Adds the member's message `seq`, dropping own seqs before `oldestRetained`.
        mutating func keepOwn(_ seq: Int, oldestRetained: Int) {
            if let first = ownSeqs.first, first < oldestRetained { ownSeqs = ownSeqs.drop { $0 < oldestRetained } }
            ownSeqs.append(seq)
        }
    }

    private var byUser: [String: [String: Membership]] = [:]
    private var joins = 0

    /// `userId` joined `room` with the event `seq`: read up to it.
    mutating func joined(_ userId: String, _ room: String, seq: Int) {
        joins += 1
        byUser[userId, default: [:]][room] = Membership(joinOrder: joins, joinSeq: seq, readSeq: seq)
    }

    /// `userId` left `room`: the position goes with the membership.
    mutating func left(_ userId: String, _ room: String) {
        byUser[userId]?[room] = nil
        if byUser[userId]?.isEmpty == true { byUser[userId] = nil }
    }

    /// `userId` posted the message `seq` in `room`, whose oldest retained message is
    /// `oldestRetained`: own seqs the lobby no longer keeps are dropped, so the list never
    /// outgrows the lobby's retained messages.
    mutating func posted(_ userId: String, _ room: String, seq: Int, oldestRetained: Int) {
        // In place: a copy of the membership would share `ownSeqs`' buffer, and the append
        // would then copy every own seq (a fifth of a post's CPU for a busy poster).
        byUser[userId]?[room]?.keepOwn(seq, oldestRetained: oldestRetained)
    }

    /// `userId`'s message `seq` in `room` was deleted: no longer among their own (unread
    /// counts skip deleted messages by themselves).
    mutating func deletedOwn(_ userId: String, _ room: String, seq: Int) {
        guard var membership = byUser[userId]?[room], let position = membership.ownSeqs.firstIndex(of: seq) else { return }
        membership.ownSeqs.remove(at: position)
        byUser[userId]?[room] = membership
    }

    /// The membership of `userId` in `room`; nil when they are not a member.
    func membership(_ userId: String, _ room: String) -> Membership? {
        byUser[userId]?[room]
    }

    /// How many lobbies `userId` is a member of, against `ChatLimits.maxLobbiesPerUser`: O(1).
    func lobbyCount(of userId: String) -> Int {
        byUser[userId]?.count ?? 0
    }

    /// Moves the read position up to `seq` (never back); nil when `userId` is no member.
    mutating func read(_ userId: String, _ room: String, upTo seq: Int) -> Membership? {
        guard var membership = byUser[userId]?[room] else { return nil }
        if seq > membership.readSeq {
            membership.readSeq = seq
            membership.ownSeqs = membership.ownSeqs.drop { $0 <= seq }
            byUser[userId]?[room] = membership
        }
        return membership
    }

    /// A page of `userId`'s memberships in join order, after the cursor `after`. Costs
    /// O(k log k) for a user in k lobbies.
    func memberships(of userId: String, limit: Int, after: String?) -> Page<(room: String, membership: Membership)> {
        let cursor = PageCursor.position(after)
        let all = (byUser[userId] ?? [:]).filter { $0.value.joinOrder > cursor }.sorted { $0.value.joinOrder < $1.value.joinOrder }
        let shown = all.prefix(limit).map { (room: $0.key, membership: $0.value) }
        return Page(items: shown, next: all.count > limit ? shown.last.map { String($0.membership.joinOrder) } : nil)
    }
}

extension RandomAccessCollection {
    /// How many elements at the end have `seq(element) > bound`, the collection being in
    /// ascending `seq` order: a binary search, O(log n).
    func countAfter(_ bound: Int, seq: (Element) -> Int) -> Int {
        var low = startIndex
        var high = endIndex
        while low < high {
            let middle = index(low, offsetBy: distance(from: low, to: high) / 2)
            if seq(self[middle]) <= bound { low = index(after: middle) } else { high = middle }
        }
        return distance(from: low, to: endIndex)
    }
}
