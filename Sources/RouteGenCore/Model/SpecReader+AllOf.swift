extension SpecReader {
    /// `allOf` of object schemas (`$ref`s to them, or inline ones), with any `properties` and
    /// `required` beside it: one object with every member's properties, required where any
    /// member requires it; named like an inline object, or by its component.
    mutating func readAllOf(_ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, name: String) -> Schema? {
        checkKeys(
            pairs,
            allowed: Self.commonKeywords.union(["allOf", "properties", "required", "additionalProperties", "nullable"]),
            in: "an allOf schema")
        guard context != .parameter else {
            diagnostics.error("a parameter schema must be a primitive type, not an allOf", at: node.location)
            return nil
        }
        var shapes: [ObjectShape] = []
        var rejected = false
        for member in sequence(node["allOf"], "allOf") ?? [] {
            if let shape = allOfMember(member, name: name) { shapes.append(shape) } else { rejected = true }
        }
        if node["properties"] != nil || node["required"] != nil, let own = readObject(node, name: name, checksRequired: false) {
            shapes.append(own)
        }
        var merged = ObjectShape(properties: [], allowsAdditionalProperties: !shapes.isEmpty && shapes.allSatisfy(\.allowsAdditionalProperties))
        for shape in shapes {
            for property in shape.properties {
                if let index = merged.properties.firstIndex(where: { $0.name == property.name }) {
                    if merged.properties[index].schema.kind != property.schema.kind {
                        diagnostics.error("property '\(property.name)' is defined differently by two allOf members", at: property.schema.location)
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
                diagnostics.error("required property '\(requiredName)' is in no allOf member", at: node["required"]!.location)
            }
        }
        var schema = Schema(.object(merged), description: string(node["description"], "description"), at: node.location)
        guard context == .nested else { return schema }
        schema.isNullable = false
        return nameInline(schema, as: name)
    }

    /// The object shape of one `allOf` member; an error for anything but an object.
    private mutating func allOfMember(_ member: YAMLNode, name: String) -> ObjectShape? {
        var node = member
        var memberName = name
        if let reference = member["$ref"] {
            guard let referenced = referencedName(reference, kind: "schemas"), let target = components["schemas"]?[referenced] else { return nil }
            node = target
            memberName = SwiftNames.type(referenced)
        }
        // Read in place: the member's own inline schemas are named as where it is written.
        guard let schema = readSchema(node, context: .component, name: memberName) else { return nil }
        guard case .object(let shape) = schema.kind else {
            diagnostics.error("an allOf member must be an object schema (or a $ref to one)", at: member.location)
            return nil
        }
        return shape
    }
}
