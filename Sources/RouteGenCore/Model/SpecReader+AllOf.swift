extension SpecReader {
    /// `allOf` of object schemas (`$ref`s to them, or inline ones), with any `properties` and
    /// `required` beside it: one object with every member's properties, required where any
    /// member requires it; named like an inline object, or by its component.
    mutating func readAllOf(_ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, name: String) -> Schema? {
        checkKeys(
            pairs,
            allowed: Self.commonKeywords.union(["allOf", "properties", "required", "additionalProperties", "nullable", "discriminator"]),
            in: "an allOf schema", isSchema: true)
        // Members that only annotate (`- nullable: true`, `- description: …`) add no constraint
        // but the null they may allow.
        let all = sequence(node["allOf"], "allOf") ?? []
        let annotations = all.filter(Self.isAnnotationOnly)
        let members = all.filter { !Self.isAnnotationOnly($0) }
        let allowsNull = readNullable(node) || annotations.contains { readNullable($0) }
        if members.count == 1 && node["properties"] == nil && node["required"] == nil {
            // One member with annotations beside it: that member (an alias of a `$ref`).
            guard var schema = readSchema(members[0], context: context, name: name) else { return nil }
            schema.isNullable = schema.isNullable || (allowsNull && context != .parameter && context != .component)
            return schema
        }
        var shapes: [ObjectShape] = []
        var rejected = false
        var notObject: YAMLNode?
        for member in members {
            switch allOfMember(member, name: name) {
            case .some(.some(let shape)): shapes.append(shape)
            case .some(.none): notObject = notObject ?? member
            case .none: rejected = true
            }
        }
        if let notObject, !rejected {
            diagnostics.warn(.allOfNotObjects, at: notObject.location)
            var schema = Schema(.any, description: string(node["description"], "description"), at: node.location)
            schema.isNullable = context == .nested && allowsNull
            return schema
        }
        if node["properties"] != nil || node["required"] != nil, let own = readObject(node, name: name, checksRequired: false) {
            shapes.append(own)
        }
        var merged = ObjectShape(properties: [], allowsAdditionalProperties: !shapes.isEmpty && shapes.allSatisfy(\.allowsAdditionalProperties))
        for shape in shapes {
            for property in shape.properties {
                if let index = merged.properties.firstIndex(where: { $0.name == property.name }) {
                    if merged.properties[index].schema.kind != property.schema.kind {
                        diagnostics.warn(.allOfPropertyConflict(property.name), at: property.schema.location)
                    }
                    merged.properties[index].isRequired = merged.properties[index].isRequired || property.isRequired
                } else {
                    merged.properties.append(property)
                }
            }
        }
        // `required` beside `allOf` may name any member's property; after a rejected member, say nothing more.
        for requiredName in (sequence(node["required"], "required") ?? []).compactMap({ string($0, "a required name") }) {
            if let index = merged.properties.firstIndex(where: { $0.name == requiredName }) {
                merged.properties[index].isRequired = true
            } else if !rejected {
                diagnostics.warn(.requiredInNoAllOfMember(requiredName), at: node["required"]!.location)
            }
        }
        var schema = Schema(.object(merged), description: string(node["description"], "description"), at: node.location)
        guard context == .nested else { return schema }
        schema.isNullable = false
        return nameInline(schema, as: name)
    }

    /// Whether a schema node says nothing that constrains a value: annotations and `nullable`.
    static func isAnnotationOnly(_ node: YAMLNode) -> Bool {
        guard let pairs = node.pairs else { return false }
        let annotations: Set<String> = ["description", "title", "nullable", "deprecated", "readOnly", "writeOnly", "example", "examples", "default", "externalDocs"]
        return pairs.allSatisfy { annotations.contains($0.key) || $0.key.hasPrefix("x-") }
    }

    /// The object shape of one `allOf` member: nil when it is not read, `.some(nil)` when it is
    /// not an object.
    private mutating func allOfMember(_ member: YAMLNode, name: String) -> ObjectShape?? {
        var node = member
        var memberName = name
        if let reference = member["$ref"] {
            guard let referenced = referencedName(reference, kind: "schemas"), let target = components["schemas"]?[referenced] else { return nil }
            node = target
            memberName = SwiftNames.type(referenced)
        }
        // Read in place: the member's own inline schemas are named as where it is written.
        guard let schema = readSchema(node, context: .component, name: memberName) else { return nil }
        guard case .object(let shape) = schema.kind else { return .some(nil) }
        return shape
    }
}
