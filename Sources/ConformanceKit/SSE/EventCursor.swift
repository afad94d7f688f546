/// A user stream's `id:`: `room:seq` per lobby, comma-separated (`general:12,random:40`).
struct EventCursor: Equatable {
    let seqs: [String: Int]

    /// Nil when `text` is not a cursor.
    init?(_ text: String) {
        var seqs: [String: Int] = [:]
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty,
                parts[0].utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || $0 == 45 || $0 == 95 }),
                !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seq = Int(parts[1])
            else { return nil }
            seqs[String(parts[0])] = seq
        }
        guard !seqs.isEmpty else { return nil }
        self.seqs = seqs
    }
}
