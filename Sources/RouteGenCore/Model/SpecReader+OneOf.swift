extension SpecReader {
    /// `oneOf` with a discriminator; variants are filled in once every schema is read.
    mutating func readOneOf(_ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext) -> Schema? {
        checkKeys(pairs, allowed: ["oneOf", "discriminator", "description", "title", "example", "examples"], in: "a oneOf schema")
        guard context == .component else {
            diagnostics.error("a oneOf with a discriminator is supported only as a named schema in components.schemas; without one it may stand anywhere", at: node.location)
            return nil
        }
        // Called only with a `discriminator` (`readUnion` takes a `oneOf` without one).
        guard let discriminator = node["discriminator"], let discriminatorPairs = mapping(discriminator, "discriminator") else {
            return nil
        }
        checkKeys(discriminatorPairs, allowed: ["propertyName", "mapping", "defaultMapping"], in: "discriminator")
        guard let propertyName = string(discriminator["propertyName"], "propertyName") else {
            diagnostics.error("discriminator has no 'propertyName'", at: discriminator.location)
            return nil
        }
        var tagsByName: [String: String] = [:]
        if let mappingNode = discriminator["mapping"], let entries = mapping(mappingNode, "mapping") {
            for entry in entries {
                if let name = referencedName(entry.value, kind: "schemas") { tagsByName[name] = entry.key }
            }
        }
        var variants: [OneOf.Variant] = []
        for item in sequence(node["oneOf"], "oneOf") ?? [] {
            guard let reference = item["$ref"] else {
                diagnostics.error("each oneOf variant must be a $ref to an object schema", at: item.location)
                continue
            }
            guard let name = referencedName(reference, kind: "schemas") else { continue }
            variants.append(.init(tag: tagsByName[name] ?? "", schemaName: name, payloadProperty: nil))
        }
        return Schema(
            .oneOf(OneOf(propertyName: propertyName, variants: variants)),
            description: string(node["description"], "description"), at: node.location)
    }

    /// Each variant's tag (its discriminator property's single value) and envelope property.
    mutating func resolveVariants(_ oneOf: OneOf, schemas: [(name: String, schema: Schema)], at location: SourceLocation) -> OneOf {
        var resolved = oneOf
        var seenTags: Set<String> = []
        for index in resolved.variants.indices {
            let variant = resolved.variants[index]
            guard let schema = schemas.first(where: { $0.name == variant.schemaName })?.schema else { continue }
            guard case .object(let shape) = schema.kind,
                let tagProperty = shape.properties.first(where: { $0.name == oneOf.propertyName }), tagProperty.isRequired,
                case .string(let rules) = tagProperty.schema.kind, let allowed = rules.allowed, allowed.count == 1
            else {
                diagnostics.error(
                    "oneOf variant '\(variant.schemaName)' must be an object with a required string property '\(oneOf.propertyName)' that has one 'const' value",
                    at: schema.location)
                continue
            }
            let tag = allowed[0]
            if !variant.tag.isEmpty && variant.tag != tag {
                diagnostics.error(
                    "discriminator mapping says '\(variant.tag)' for '\(variant.schemaName)' but its '\(oneOf.propertyName)' is '\(tag)'",
                    at: location)
            }
            if !seenTags.insert(tag).inserted {
                diagnostics.error("two oneOf variants share the discriminator value '\(tag)'", at: schema.location)
            }
            resolved.variants[index].tag = tag
            let others = shape.properties.filter { $0.name != oneOf.propertyName }
            if others.count == 1 && others[0].isRequired {
                resolved.variants[index].payloadProperty = others[0].name
            }
        }
        return resolved
    }

    /// For each schema that reaches itself through `$ref`s, the schemas of its cycle: those it
    /// reaches that also reach it. Swift writes a reference within one with indirection.
    static func cycles(_ schemas: [(name: String, schema: Schema)]) -> [String: Set<String>] {
        var references: [String: Set<String>] = [:]
        for (name, schema) in schemas { references[name] = schema.referencedNames }
        var reachable: [String: Set<String>] = [:]
        for (name, _) in schemas {
            var seen: Set<String> = []
            var pending = Array(references[name] ?? [])
            while let next = pending.popLast() {
                if seen.insert(next).inserted { pending += references[next] ?? [] }
            }
            reachable[name] = seen
        }
        var cycles: [String: Set<String>] = [:]
        for (name, reached) in reachable where reached.contains(name) {
            cycles[name] = reached.filter { reachable[$0]?.contains(name) ?? false }
        }
        return cycles
    }
}

extension Schema {
    /// Every schema name this one refers to directly.
    var referencedNames: Set<String> {
        switch kind {
        case .reference(let name): [name]
        case .object(let shape): shape.properties.reduce(into: []) { $0.formUnion($1.schema.referencedNames) }
        case .array(let items, _, _): items.referencedNames
        case .map(let values): values.referencedNames
        case .string(let rules): rules.contentSchema?.referencedNames ?? []
        case .oneOf(let oneOf):
            oneOf.variants.reduce(into: []) { names, variant in
                if let schema = variant.schema { names.formUnion(schema.referencedNames) } else { names.insert(variant.schemaName) }
            }
        case .integer, .number, .boolean: []
        }
    }
}
