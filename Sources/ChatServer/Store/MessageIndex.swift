import ChatAPI

/// The memory store's index of one lobby's retained messages: each one's seq by its id (so an
/// edit or a deletion finds it in O(1) plus a binary search of the lobby's messages), and the
/// seqs of the deleted ones (so unread counts skip tombstones by binary search). Kept by the
/// lobby as it retains and drops messages, so it never outgrows them.
struct MessageIndex {
    /// What one indexed message adds to the memory budget: the id's string (36 bytes on the
    /// heap, with its header) and the dictionary's slot, and a deleted seq when there is one.
    static let entryCost = 96

    private var seqs: [String: Int] = [:]
    /// The seqs of deleted messages still retained, ascending. A slice, so dropping its front
    /// (as the lobby drops its oldest messages) is O(1).
    private var deletedSeqs: ArraySlice<Int> = []

    /// The seq of the retained message `id`, if any.
    func seq(of id: String) -> Int? { seqs[id] }

    /// The lobby retained `message`.
    mutating func added(_ message: Components.Schemas.Message) {
        seqs[message.id] = message.seq
    }

    /// The lobby dropped `messages`, its oldest, in seq order.
    mutating func dropped(_ messages: ArraySlice<Components.Schemas.Message>) {
        for message in messages { seqs[message.id] = nil }
        if let last = messages.last?.seq { deletedSeqs = deletedSeqs.drop { $0 <= last } }
    }

    /// The message `seq` was deleted (once).
    mutating func deleted(_ seq: Int) {
        let position = deletedSeqs.endIndex - deletedSeqs.countAfter(seq) { $0 }
        deletedSeqs.insert(seq, at: position)
    }

    /// How many deleted messages have a seq above `bound`: O(log d).
    func deletedCount(after bound: Int) -> Int {
        deletedSeqs.countAfter(bound) { $0 }
    }
}
