import RouteGenCore

/// How many times a setup line acts: a number written in the line, or a built-in variable
/// (`${maxLobbiesPerUser}`) known only once the server is (so the unit must `require` it).
enum SetupCount: Sendable, Equatable, CustomStringConvertible {
    case literal(Int)
    case builtIn(String)

    /// `3` (1 to 10,000) or `${name}`; nil otherwise.
    init?(_ word: String) {
        if let count = Int(word) {
            guard (1...10_000).contains(count) else { return nil }
            self = .literal(count)
        } else if word.hasPrefix("${"), word.hasSuffix("}"), word.count > 3 {
            self = .builtIn(String(word.dropFirst(2).dropLast()))
        } else {
            return nil
        }
    }

    /// The count against a server with these built-ins; nil when the built-in is unknown or no
    /// count from 1 to 10,000.
    func resolved(in builtIns: [String: JSON]) -> Int? {
        switch self {
        case .literal(let count): return count
        case .builtIn(let name):
            guard case .integer(let count)? = builtIns[name], (1...10_000).contains(count) else { return nil }
            return count
        }
    }

    /// As written in the line.
    var description: String {
        switch self {
        case .literal(let count): String(count)
        case .builtIn(let name): "${\(name)}"
        }
    }
}
