/// `--filter`: a substring of a case's name, or a glob over the whole name when the text holds
/// `*` (any run), `?` (one character) or `[…]` (one of a set).
struct CaseFilter: Sendable {
    let text: String

    /// Whether `name` is selected.
    func matches(_ name: String) -> Bool {
        guard text.contains(where: { "*?[".contains($0) }) else { return name.contains(text) }
        return Self.glob(Array(text), Array(name))
    }

    private static func glob(_ pattern: [Character], _ name: [Character]) -> Bool {
        // Iterative with one backtrack point per `*`, as fnmatch does.
        var p = 0, n = 0
        var star: (p: Int, n: Int)?
        while n < name.count {
            if p < pattern.count, pattern[p] == "*" {
                star = (p, n)
                p += 1
            } else if p < pattern.count, let width = matchOne(pattern, at: p, name[n]) {
                p += width
                n += 1
            } else if let last = star {
                p = last.p + 1
                n = last.n + 1
                star = (last.p, last.n + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// The pattern characters consumed when the one at `index` matches `character`; nil if not.
    private static func matchOne(_ pattern: [Character], at index: Int, _ character: Character) -> Int? {
        switch pattern[index] {
        case "?": return 1
        case "[":
            guard let close = pattern[(index + 1)...].firstIndex(of: "]") else { return pattern[index] == character ? 1 : nil }
            return pattern[(index + 1)..<close].contains(character) ? close - index + 1 : nil
        default: return pattern[index] == character ? 1 : nil
        }
    }
}
