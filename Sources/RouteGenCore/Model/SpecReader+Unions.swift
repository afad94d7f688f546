extension SpecReader {
    /// `anyOf`, or `oneOf` without a discriminator: a Swift enum with a case per variant, tried
    /// in order. A `{type: 'null'}` variant makes the union nullable; a union of one other
    /// variant is that variant. Named like an inline object, or by its component.
    mutating func readUnion(_ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, name: String) -> Schema? {
        let keyword = node["oneOf"] != nil ? "oneOf" : "anyOf"
        checkKeys(
            pairs,
            allowed: [keyword, "description", "title", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "nullable", "type", "discriminator"],
            in: "a\(keyword == "anyOf" ? "n" : "") \(keyword) schema", isSchema: true)
        var isNullable = readNullable(node) || Self.allowsNull(node)
        var variants: [OneOf.Variant] = []
        var rejected = false
        var caseNames = GeneratedNames.Numbering()
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
            // Two variants of one kind (two strings with different rules, `Pet` and `pet`): the
            // later case numbered (`string`, `string_2`).
            let caseName = caseNames.next(reference.map(SwiftNames.member) ?? Self.variantCaseName(schema, index: index))
            variants.append(.init(tag: "", schemaName: schema.referenceName ?? "", schema: schema, caseName: caseName))
        }
        guard !rejected else { return nil }
        guard !variants.isEmpty else {
            var schema = Schema(.any, description: string(node["description"], "description"), at: node.location)
            schema.isNullable = context == .nested
            return schema
        }
        if variants.count == 1, var only = variants[0].schema {
            only.isNullable = only.isNullable || isNullable
            return only
        }
        let union = OneOf(propertyName: "", variants: variants, matching: keyword == "anyOf" ? .atLeastOne : .exactlyOne)
        let schema = Schema(.oneOf(union), description: string(node["description"], "description"), at: node.location)
        if context == .component {
            // Its `$ref`s allow null instead (`readReference`).
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
        case .any: "value"
        case .reference, .object, .oneOf: "variant\(index + 1)"
        }
    }
}
