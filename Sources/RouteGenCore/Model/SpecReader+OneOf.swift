extension SpecReader {
    /// `oneOf` with a discriminator; variants are filled in once every schema is read. One the
    /// generated enum cannot switch on (inline variants, a variant without a one-value tag, a
    /// union that is not a named component) is read as an undiscriminated union, with a warning.
    mutating func readOneOf(_ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, name: String) -> Schema? {
        // Called only with a `discriminator` (`readUnion` takes a `oneOf` without one).
        guard let discriminator = node["discriminator"], let discriminatorPairs = mapping(discriminator, "discriminator") else {
            return nil
        }
        guard let propertyName = string(discriminator["propertyName"], "propertyName") else {
            diagnostics.refuse(.discriminatorWithoutPropertyName, at: discriminator.location)
            return nil
        }
        if let why = undiscriminable(node, propertyName: propertyName, context: context) {
            diagnostics.warn(.discriminatorNotUsed(why), at: discriminator.location)
            return readUnion(node, pairs, context: context, name: name)
        }
        checkKeys(
            pairs, allowed: ["oneOf", "discriminator", "description", "title", "example", "examples", "deprecated", "type"],
            in: "a oneOf schema", isSchema: true)
        checkKeys(discriminatorPairs, allowed: ["propertyName", "mapping", "defaultMapping"], in: "discriminator")
        var tagsByName: [String: String] = [:]
        if let mappingNode = discriminator["mapping"], let entries = mapping(mappingNode, "mapping") {
            for entry in entries {
                if let name = referencedName(entry.value, kind: "schemas") { tagsByName[name] = entry.key }
            }
        }
        var variants: [OneOf.Variant] = []
        for item in sequence(node["oneOf"], "oneOf") ?? [] {
            guard let reference = item["$ref"], let name = referencedName(reference, kind: "schemas") else { continue }
            variants.append(.init(tag: tagsByName[name] ?? "", schemaName: name, payloadProperty: nil))
        }
        return Schema(
            .oneOf(OneOf(propertyName: propertyName, variants: variants)),
            description: string(node["description"], "description"), at: node.location)
    }

    /// Why a discriminated `oneOf` cannot be a Swift enum switched on its tag, or nil when it can:
    /// a named component whose variants are each a `$ref` to an object requiring the property
    /// with one `const` value that the `mapping`, if any, agrees with.
    private func undiscriminable(_ node: YAMLNode, propertyName: String, context: SchemaContext) -> Diagnostic.UnusedDiscriminator? {
        guard context == .component else { return .notAComponent }
        let mapping = Dictionary(
            (node["discriminator"]?["mapping"]?.pairs ?? []).compactMap { pair in pair.value.scalar.map { ($0.text, pair.key) } },
            uniquingKeysWith: { first, _ in first })
        var tags: Set<String> = []
        for item in node["oneOf"]?.items ?? [] {
            guard let reference = item["$ref"]?.scalar?.text else { return .variantNotAReference }
            let prefix = "#/components/schemas/"
            guard reference.hasPrefix(prefix), let target = components["schemas"]?[String(reference.dropFirst(prefix.count))] else {
                return nil  // the unresolved `$ref` is reported where it is read
            }
            let variant = String(reference.dropFirst(prefix.count))
            guard let tagNode = target["properties"]?[propertyName],
                target["required"]?.items?.contains(where: { $0.scalar?.text == propertyName }) == true,
                let tag = tagNode["const"]?.scalar?.text ?? (tagNode["enum"]?.items?.count == 1 ? tagNode["enum"]?.items?[0].scalar?.text : nil)
            else { return .variantWithoutTag(variant, property: propertyName) }
            if let mapped = mapping[reference], mapped != tag { return .mappingDisagrees(variant: variant, mapped: mapped, property: propertyName, tag: tag) }
            guard tags.insert(tag).inserted else { return .sharedTag(tag) }
        }
        return nil
    }

    /// Each variant's tag (its discriminator property's single value) and envelope property.
    mutating func resolveVariants(
        _ oneOf: OneOf, schemas: [(name: String, schema: Schema)], positions: [String: Int], at location: SourceLocation) -> OneOf {
        var resolved = oneOf
        var seenTags: Set<String> = []
        for index in resolved.variants.indices {
            let variant = resolved.variants[index]
            guard let schema = positions[variant.schemaName].map({ schemas[$0].schema }) else { continue }
            guard case .object(let shape) = schema.kind,
                let tagProperty = shape.properties.first(where: { $0.name == oneOf.propertyName }), tagProperty.isRequired,
                case .string(let rules) = tagProperty.schema.kind, let allowed = rules.allowed, allowed.count == 1
            else {
                diagnostics.refuse(.variantWithoutTag(variant.schemaName, property: oneOf.propertyName), at: schema.location)
                continue
            }
            let tag = allowed[0]
            if !variant.tag.isEmpty && variant.tag != tag {
                diagnostics.refuse(.mappingDisagrees(mapped: variant.tag, variant: variant.schemaName, property: oneOf.propertyName, tag: tag), at: location)
            }
            if !seenTags.insert(tag).inserted {
                diagnostics.refuse(.sharedDiscriminatorValue(tag), at: schema.location)
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
    /// reaches that also reach it (its strongly connected component, found by Tarjan's algorithm
    /// in time linear in the references). Swift writes a reference within one with indirection.
    static func cycles(_ schemas: [(name: String, schema: Schema)]) -> [String: Set<String>] {
        var references: [String: [String]] = [:]
        for (name, schema) in schemas { references[name] = schema.referencedNames.sorted() }
        var order: [String: Int] = [:]
        var lowest: [String: Int] = [:]
        var stack: [String] = []
        var onStack: Set<String> = []
        var cycles: [String: Set<String>] = [:]
        // Iterative, so a long chain of references cannot overflow the stack: each frame is a
        // schema and the index of the next reference to follow.
        for (root, _) in schemas where order[root] == nil {
            var frames: [(name: String, next: Int)] = [(root, 0)]
            order[root] = order.count
            lowest[root] = order[root]
            stack.append(root)
            onStack.insert(root)
            while let (name, next) = frames.last {
                let targets = references[name] ?? []
                if next < targets.count {
                    frames[frames.count - 1].next += 1
                    let target = targets[next]
                    guard references[target] != nil else { continue }
                    if order[target] == nil {
                        order[target] = order.count
                        lowest[target] = order[target]
                        stack.append(target)
                        onStack.insert(target)
                        frames.append((target, 0))
                    } else if onStack.contains(target) {
                        lowest[name] = min(lowest[name]!, order[target]!)
                    }
                    continue
                }
                frames.removeLast()
                if let parent = frames.last { lowest[parent.name] = min(lowest[parent.name]!, lowest[name]!) }
                guard lowest[name] == order[name] else { continue }
                var component: Set<String> = []
                while let member = stack.popLast() {
                    onStack.remove(member)
                    component.insert(member)
                    if member == name { break }
                }
                // A component of one schema is a cycle only when it refers to itself.
                guard component.count > 1 || targets.contains(name) else { continue }
                for member in component { cycles[member] = component }
            }
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
        case .integer, .number, .boolean, .any: []
        }
    }
}
