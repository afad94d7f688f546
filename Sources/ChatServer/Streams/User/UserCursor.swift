/// Where a user stream stands: for each lobby the user is in, the seq up to which every event
/// of it has been sent. Written as the frames' `id:` and read back from `Last-Event-ID`:
/// `general:12,random:40` (room codes are `[A-Za-z0-9_-]`, so `:` and `,` never occur in them).
/// Per lobby, since a lobby's seqs are one order across PostgreSQL instances while the commit
/// order of events of different lobbies is not.
struct UserCursor: Sendable, Equatable {
    private(set) var seqs: [String: Int]

    init(_ seqs: [String: Int] = [:]) {
        self.seqs = seqs
    }

    /// Reads `text` as written by `description`; nil when it is not one (the spec's pattern
    /// checks it before, so only an entry naming a room twice gets here: the last one counts).
    init?(parsing text: String) {
        var seqs: [String: Int] = [:]
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) where !text.isEmpty {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let seq = Int(parts[1]), seq >= 0 else { return nil }
            seqs[String(parts[0])] = seq
        }
        self.seqs = seqs
    }

    subscript(room: String) -> Int? {
        get { seqs[room] }
        set { seqs[room] = newValue }
    }

    /// `room:seq` entries in room order, so the same position always reads the same.
    var description: String {
        seqs.keys.sorted().map { "\($0):\(seqs[$0]!)" }.joined(separator: ",")
    }
}
