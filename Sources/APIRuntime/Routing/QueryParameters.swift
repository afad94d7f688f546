/// The decoded `name=value` pairs of a query string (`application/x-www-form-urlencoded`).
public struct QueryParameters: Sendable {
    /// Pairs in order; a name may repeat.
    public private(set) var pairs: [(name: String, value: String)] = []
    /// Names whose pair could not be decoded.
    public private(set) var malformed: [String] = []

    /// Parses `query` (without the `?`); nil means no query at all.
    public init(_ query: Substring?) {
        guard let query, !query.isEmpty else { return }
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = part.firstIndex(of: "=")
            let rawName = equals.map { part[..<$0] } ?? part
            let rawValue = equals.map { part[part.index(after: $0)...] } ?? ""
            guard let name = PercentDecoding.decode(rawName, plusIsSpace: true) else { continue }
            guard let value = PercentDecoding.decode(rawValue, plusIsSpace: true) else {
                malformed.append(name)
                continue
            }
            pairs.append((name, value))
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }
}
