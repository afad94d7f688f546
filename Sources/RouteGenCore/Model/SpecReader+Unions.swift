extension SpecReader {
    /// `anyOf`, or `oneOf` without a discriminator: a Swift enum with a case per variant, tried
    /// in order. A `{type: 'null'}` variant makes the union nullable; a union of one other
    /// variant is that variant. Named like an inline object, or by its component.
    mutating func readUnion(_ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, name: String) -> Schema? {
        let keyword = node["oneOf"] != nil ? "oneOf" : "anyOf"
        checkKeys(
            pairs,
            allowed: [keyword, "description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "nullable"],
            in: "a\(keyword == "anyOf" ? "n" : "") \(keyword) schema")
        guard context == .component || context == .nested else {
            diagnostics.error("'\(keyword)' is not supported here: parameters, headers and text bodies are one primitive", at: node.location)
            return nil
        }
        var isNullable = node["nullable"].flatMap { bool($0, "nullable") } ?? false
        var variants: [OneOf.Variant] = []
        var rejected = false
        for (index, item) in (sequence(node[keyword], keyword) ?? []).enumerated() {
            if item["type"]?.scalar?.text == "null" {
                isNullable = true
                continue
            }
            let reference = item["$ref"].flatMap { $0.scalar?.text }.map { String($0.split(separator: "/").last ?? "") }
            guard let schema = readSchema(item, context: .nested, name: name + "Variant\(index + 1)") else {
                rejected = true
                continue
            }
            let caseName = reference.map(SwiftNames.member) ?? Self.variantCaseName(schema, index: index)
            if variants.contains(where: { $0.caseName == caseName }) {
                diagnostics.error("two \(keyword) variants are both case '\(caseName)' in Swift; move one to components.schemas under another name", at: item.location)
                continue
            }
            variants.append(.init(tag: "", schemaName: schema.referenceName ?? "", schema: schema, caseName: caseName))
        }
        guard !rejected else { return nil }
        guard !variants.isEmpty else {
            diagnostics.error("\(keyword) needs at least one variant other than null", at: node.location)
            return nil
        }
        if variants.count == 1, var only = variants[0].schema {
            only.isNullable = only.isNullable || isNullable
            return only
        }
        let union = OneOf(propertyName: "", variants: variants, matching: keyword == "anyOf" ? .atLeastOne : .exactlyOne)
        let schema = Schema(.oneOf(union), description: string(node["description"], "description"), at: node.location)
        if context == .component {
            if isNullable { diagnostics.error("null is allowed only for properties, items and bodies", at: node.location) }
            return schema
        }
        var reference = nameInline(schema, as: name)
        reference?.isNullable = isNullable
        return reference
    }

    /// The case of a variant that is not a `$ref`: its type's word, or `variantN` for an inline
    /// object or enum (named `…VariantN`).
    private static func variantCaseName(_ schema: Schema, index: Int) -> String {
        switch schema.kind {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .array: "array"
        case .map: "map"
        case .reference, .object, .oneOf: "variant\(index + 1)"
        }
    }
}
