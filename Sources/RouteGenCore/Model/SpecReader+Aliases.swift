extension SpecReader {
    /// Whether a component schema is a Swift type of its own (a struct or an enum); any other
    /// (an alias `$ref`, a one-variant `oneOf`, a one-member `allOf`, a JSON value) is written
    /// in place of each `$ref` to it, so that no two names declare the same type twice.
    static func isNominal(_ schema: Schema) -> Bool {
        switch schema.kind {
        case .object, .oneOf: true
        default: false
        }
    }

    /// Takes the components that are not types of their own out of `schemas`, keeps them in
    /// `schemasInPlace`, and writes each `$ref` to one already read (components, inline schemas)
    /// as the schema itself.
    mutating func inlineAliases(_ schemas: inout [(name: String, schema: Schema)]) {
        for (name, schema) in schemas where !Self.isNominal(schema) { schemasInPlace[name] = schema }
        guard !schemasInPlace.isEmpty else { return }
        schemas.removeAll { schemasInPlace[$0.name] != nil }
        for index in schemas.indices { schemas[index].schema = writingInPlace(schemas[index].schema) }
        for index in inlineSchemas.indices { inlineSchemas[index].schema = writingInPlace(inlineSchemas[index].schema) }
    }

    /// `schema` with every `$ref` to a component of `schemasInPlace` replaced by that component;
    /// one that reaches itself only through such components is a JSON value.
    func writingInPlace(_ schema: Schema, depth: Int = 0) -> Schema {
        var result = schema
        let inPlace = { (inner: Schema) in writingInPlace(inner, depth: depth + 1) }
        switch schema.kind {
        case .reference(let name):
            guard let target = schemasInPlace[name] else { return schema }
            guard depth < 32 else {
                result.kind = .any
                return result
            }
            result = inPlace(target)
            result.location = schema.location
            result.isNullable = result.isNullable || schema.isNullable
            result.description = schema.description ?? result.description
        case .object(var shape):
            for index in shape.properties.indices { shape.properties[index].schema = inPlace(shape.properties[index].schema) }
            result.kind = .object(shape)
        case .array(let items, let minItems, let maxItems):
            result.kind = .array(items: inPlace(items), minItems: minItems, maxItems: maxItems)
        case .map(let values):
            result.kind = .map(values: inPlace(values))
        case .string(var rules):
            rules.contentSchema = rules.contentSchema.map(inPlace)
            result.kind = .string(rules)
        case .oneOf(var oneOf):
            for index in oneOf.variants.indices {
                oneOf.variants[index].schema = oneOf.variants[index].schema.map(inPlace)
                if let variantSchema = oneOf.variants[index].schema {
                    oneOf.variants[index].schemaName = variantSchema.referenceName ?? ""
                }
            }
            result.kind = .oneOf(oneOf)
        case .integer, .number, .boolean, .any:
            break
        }
        return result
    }
}
