/// Where a user stream stands: for each lobby the user is in, the seq up to which every event
/// of it has been sent. Written as the frames' `id:` and read back from `Last-Event-ID`:
/// `general:12,random:40` (room codes are `[A-Za-z0-9_-]`, so `:` and `,` never occur in them).
/// Per lobby, since a lobby's seqs are one order across PostgreSQL instances while the commit
/// order of events of different lobbies is not.
///
/// Written once per frame of every user stream, so the entries are kept in room order with
/// their codes' bytes: writing one costs no sorting and no string building.
struct UserCursor: Sendable, Equatable {
    private struct Entry: Sendable, Equatable {
        let room: String
        let roomBytes: [UInt8]
        var seq: Int
    }

    /// In room order.
    private var entries: [Entry] = []

    init(_ seqs: [String: Int] = [:]) {
        for (room, seq) in seqs { self[room] = seq }
    }

    /// Reads `text` as written by `description`; nil when it is not one (the spec's pattern
    /// checks it before, so only an entry naming a room twice gets here: the last one counts).
    init?(parsing text: String) {
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) where !text.isEmpty {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let seq = Int(parts[1]), seq >= 0 else { return nil }
            self[String(parts[0])] = seq
        }
    }

    subscript(room: String) -> Int? {
        get {
            let (index, found) = index(of: room)
            return found ? entries[index].seq : nil
        }
        set {
            let (index, found) = index(of: room)
            switch (found, newValue) {
            case (true, let seq?): entries[index].seq = seq
            case (true, nil): entries.remove(at: index)
            case (false, let seq?): entries.insert(Entry(room: room, roomBytes: Array(room.utf8), seq: seq), at: index)
            case (false, nil): break
            }
        }
    }

    /// Where `room` is, or would go (a binary search).
    private func index(of room: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].room < room { low = middle + 1 } else { high = middle }
        }
        return (low, low < entries.count && entries[low].room == room)
    }

    /// The seqs by room.
    var seqs: [String: Int] { Dictionary(uniqueKeysWithValues: entries.map { ($0.room, $0.seq) }) }

    /// `room:seq` entries in room order, so the same position always reads the same.
    var description: String {
        var bytes: [UInt8] = []
        write(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `description`'s bytes to `bytes`.
    func write(to bytes: inout [UInt8]) {
        for (position, entry) in entries.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += entry.roomBytes
            bytes.append(UInt8(ascii: ":"))
            Self.appendDecimal(entry.seq, to: &bytes)
        }
    }

    private static func appendDecimal(_ value: Int, to bytes: inout [UInt8]) {
        guard value > 0 else { return bytes.append(UInt8(ascii: "0")) }
        let start = bytes.count
        var value = value
        while value > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
            value /= 10
        }
        bytes[start...].reverse()
    }
}
