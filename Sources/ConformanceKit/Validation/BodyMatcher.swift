import RouteGenCore

/// Compares a documented (or scenario) body with the one received, guided by the schema.
///
/// - An expected string that is an example value standing for something setup created (an
///   example user id, a lobby label) must equal the real value.
/// - Otherwise, where the spec calls values illustrative (by format, such as ids and timestamps,
///   or by `Schema.property`, such as `Problem.detail`), only the schema judges the value.
/// - Everything else must be equal. `complete` also demands the same keys and item counts;
///   `fragment` compares only the keys written.
struct BodyMatcher {
    enum Mode {
        case complete
        case fragment
    }

    /// A real value standing in for an example value.
    struct Substitution: Sendable {
        var value: String
        /// What it is, for messages (`alice's id`).
        var label: String
    }

    let validator: SchemaValidator
    var mode = Mode.complete
    /// Example value → the real value.
    var substitutions: [String: Substitution] = [:]
    var illustrativeFormats: Set<String> = []
    var illustrativeProperties: Set<String> = []

    /// Every difference, each as `$.path: expected …, got …`.
    func mismatches(expected: JSON, actual: JSON, schema: Schema?, subsequence: Bool = false) -> [String] {
        var found: [String] = []
        if subsequence, case .array(let wanted) = expected, case .array(let items) = actual {
            matchSubsequence(wanted, items, schema: itemSchema(schema), &found)
        } else {
            match(expected, actual, schema: schema, owner: nil, path: "$", &found)
        }
        return found
    }

    private func match(_ expected: JSON, _ actual: JSON, schema: Schema?, owner: String?, path: String, _ found: inout [String]) {
        let (resolved, name) = resolve(schema)
        switch (expected, actual) {
        case (.object(let wanted), .object(let got)):
            let shape: ObjectShape? = if case .object(let shape)? = variant(resolved, for: expected).0?.kind { shape } else { nil }
            let ownerName = variant(resolved, for: expected).1 ?? name
            for pair in wanted {
                guard let value = got.first(where: { $0.key == pair.key })?.value else {
                    found.append("\(path): missing '\(pair.key)' (expected \(pair.value))")
                    continue
                }
                let propertySchema = shape?.properties.first { $0.name == pair.key }?.schema
                match(pair.value, value, schema: propertySchema, owner: ownerName.map { "\($0).\(pair.key)" }, path: "\(path).\(pair.key)", &found)
            }
            if mode == .complete {
                for pair in got where !wanted.contains(where: { $0.key == pair.key }) {
                    found.append("\(path): unexpected '\(pair.key)': \(pair.value) (the documented body has no such key)")
                }
            }
        case (.array(let wanted), .array(let got)):
            if wanted.count != got.count {
                found.append("\(path): expected \(wanted.count) items, got \(got.count): \(Self.short(actual))")
                return
            }
            for (index, pair) in zip(wanted, got).enumerated() {
                match(pair.0, pair.1, schema: itemSchema(resolved), owner: nil, path: "\(path)[\(index)]", &found)
            }
        case (.string(let wanted), _):
            if let substitution = substitutions[wanted] {
                if actual != .string(substitution.value) {
                    found.append("\(path): expected \(substitution.label) \(JSON.quoted(substitution.value)) (example \(JSON.quoted(wanted))), got \(Self.short(actual))")
                }
            } else if !isIllustrative(resolved, owner: owner), actual != expected {
                found.append("\(path): expected \(expected), got \(Self.short(actual))")
            }
        default:
            if actual != expected { found.append("\(path): expected \(expected), got \(Self.short(actual))") }
        }
    }

    private func matchSubsequence(_ wanted: [JSON], _ items: [JSON], schema: Schema?, _ found: inout [String]) {
        var next = 0
        for (index, item) in wanted.enumerated() {
            var hit: Int?
            for candidate in next..<max(next, items.count) {
                var differences: [String] = []
                match(item, items[candidate], schema: schema, owner: nil, path: "$", &differences)
                if differences.isEmpty {
                    hit = candidate
                    break
                }
            }
            guard let hit else {
                found.append("$: documented item \(index) \(item) is not in the list after position \(next) (of \(items.count) items)")
                return
            }
            next = hit + 1
        }
    }

    private func isIllustrative(_ schema: Schema?, owner: String?) -> Bool {
        if let owner, illustrativeProperties.contains(owner) { return true }
        if case .string(let rules)? = schema?.kind, let format = rules.format { return illustrativeFormats.contains(format) }
        return false
    }

    /// The schema a reference names, and that name.
    private func resolve(_ schema: Schema?) -> (Schema?, String?) {
        guard let schema else { return (nil, nil) }
        if let name = schema.referenceName { return (validator.schema(named: name), name) }
        return (schema, nil)
    }

    /// For a discriminated `oneOf`, the variant the expected value names; for a union without
    /// a discriminator, the first variant that accepts it.
    private func variant(_ schema: Schema?, for value: JSON) -> (Schema?, String?) {
        guard case .oneOf(let oneOf)? = schema?.kind else { return (schema, nil) }
        if oneOf.matching != .discriminator {
            let accepting = oneOf.variants.first { $0.schema.map { validator.validate(value, against: $0).isEmpty } ?? false }
            return resolve(accepting?.schema)
        }
        guard case .string(let tag)? = value[oneOf.propertyName], let variant = oneOf.variants.first(where: { $0.tag == tag }) else {
            return (nil, nil)
        }
        return (validator.schema(named: variant.schemaName), variant.schemaName)
    }

    private func itemSchema(_ schema: Schema?) -> Schema? {
        let (resolved, _) = resolve(schema)
        if case .array(let items, _, _)? = resolved?.kind { return items }
        return nil
    }

    /// A value's JSON, cut to 200 characters.
    static func short(_ value: JSON) -> String {
        let text = value.description
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}
