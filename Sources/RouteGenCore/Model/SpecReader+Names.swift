extension SpecReader {
    /// Spec names that become the same Swift member would make code that does not compile:
    /// report them where they are written. (Type, property and parameter names cannot meet:
    /// `GeneratedNames` makes them unique in their namespaces.)
    mutating func checkSwiftNames(operations: [Operation], schemas: [(name: String, schema: Schema)]) {
        for (_, schema) in schemas {
            checkMemberNames(of: schema)
        }
    }

    /// `oneOf` cases must stay distinct in Swift (properties that meet are numbered by the renderer).
    private mutating func checkMemberNames(of schema: Schema) {
        switch schema.kind {
        case .oneOf(let oneOf):
            var seen: [String: String] = [:]
            for variant in oneOf.variants where !variant.tag.isEmpty {
                let member = SwiftNames.member(variant.tag)
                if let other = seen[member] {
                    diagnostics.error("oneOf values '\(other)' and '\(variant.tag)' are both case '\(member)' in Swift", at: schema.location)
                }
                seen[member] = variant.tag
            }
        default:
            break
        }
    }
}
