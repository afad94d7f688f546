import Foundation

extension SpecReader {
    /// Where a schema stands, which decides what it may be.
    enum SchemaContext {
        /// A named schema in `components.schemas`: an object stays in place as the named type.
        case component
        /// Anywhere else a JSON value is described (properties, items, bodies, responses): an
        /// inline object becomes a type named after where it sits (`inlineName`).
        case nested
        /// A parameter or a text body: a primitive.
        case parameter
        /// An SSE `itemSchema`: an object read in place, never a type of its own.
        case eventItem
    }

    static let commonKeywords: Set<String> = [
        "type", "description", "title", "default", "deprecated", "readOnly", "writeOnly", "example", "examples", "xml",
    ]
    static let keywordsByType: [String: Set<String>] = [
        "object": ["properties", "required", "additionalProperties"],
        "array": ["items", "minItems", "maxItems"],
        "string": ["minLength", "maxLength", "pattern", "format", "enum", "const", "contentMediaType", "contentSchema"],
        "integer": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format", "enum", "const"],
        "number": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format", "enum", "const"],
        "boolean": [],
    ]
    /// Schema keywords RouteGen does not read, named in their error so the author knows which.
    static let unsupportedSchemaKeywords = ["not", "if", "then", "else", "patternProperties", "prefixItems"]

    /// Reads `components.schemas` and checks what needs all of them: `oneOf` variants and cycles.
    /// Inline objects met on the way are named and kept in `inlineSchemas`.
    mutating func readSchemaComponents() -> [(name: String, schema: Schema)] {
        guard let rawSchemas = components["schemas"] else { return [] }
        var schemas: [(name: String, schema: Schema)] = []
        // Document order: the index is a dictionary, so order by location.
        for (name, node) in rawSchemas.sorted(by: { $0.value.location < $1.value.location }) {
            if Self.isNamedValue(node) {
                // Read here for its diagnostics; it is written in place of each `$ref` to it.
                _ = readSchema(node, context: .nested, name: SwiftNames.type(name))
                continue
            }
            if let schema = readSchema(node, context: .component, name: SwiftNames.type(name)) {
                switch schema.kind {
                case .object, .oneOf:
                    schemas.append((name: name, schema: schema))
                default:
                    diagnostics.error(
                        "schema '\(name)' must be an object or a oneOf; write primitive and array schemas inline",
                        at: node.location)
                }
            }
        }
        for index in schemas.indices {
            if case .oneOf(let oneOf) = schemas[index].schema.kind, oneOf.matching == .discriminator {
                schemas[index].schema.kind = .oneOf(resolveVariants(oneOf, schemas: schemas, at: schemas[index].schema.location))
            }
        }
        cycles = Self.cycles(schemas + inlineSchemas)
        return schemas
    }

    /// Reads the schema at `node`; `name` is the Swift type an inline object here becomes.
    mutating func readSchema(_ node: YAMLNode, context: SchemaContext, name: String) -> Schema? {
        guard let pairs = mapping(node, "a schema") else { return nil }
        let description = string(node["description"], "description")
        if let reference = node["$ref"] {
            checkKeys(pairs, allowed: ["$ref", "description", "summary"], in: "a $ref schema")
            guard let name = referencedName(reference, kind: "schemas") else { return nil }
            if let target = components["schemas"]?[name], Self.isNamedValue(target) {
                return namedValue(name, target, context: context, at: node.location)
            }
            if context == .parameter {
                diagnostics.error("a parameter schema must be a primitive type, not a $ref to an object", at: reference.location)
            }
            return Schema(.reference(name), description: description, at: node.location)
        }
        if node["allOf"] != nil, !Self.unsupportedSchemaKeywords.contains(where: { node[$0] != nil }) {
            return readAllOf(node, pairs, context: context, name: name)
        }
        if let keyword = Self.unsupportedSchemaKeywords.first(where: { node[$0] != nil }) {
            diagnostics.error("'\(keyword)' is not supported here", at: pairs.first { $0.key == keyword }!.keyLocation)
            return nil
        }
        if node["oneOf"] != nil && node["discriminator"] != nil {
            return readOneOf(node, pairs, context: context)
        }
        if node["oneOf"] != nil || node["anyOf"] != nil {
            return readUnion(node, pairs, context: context, name: name)
        }
        let type: String
        var isNullable = readNullable(node)
        if let typeNode = node["type"] {
            guard let (text, allowsNull) = readType(typeNode) else { return nil }
            guard Self.keywordsByType[text] != nil else {
                diagnostics.error("unknown type '\(text)' (object, array, string, integer, number, boolean)", at: typeNode.location)
                return nil
            }
            type = text
            isNullable = isNullable || allowsNull
        } else if node["properties"] != nil || node["additionalProperties"] != nil {
            // An object schema may leave out `type: object`; its keywords say what it is.
            type = "object"
        } else {
            diagnostics.error("schema has no 'type' (or '$ref', 'oneOf', 'properties')", at: node.location)
            return nil
        }
        checkKeys(pairs, allowed: Self.commonKeywords.union(Self.keywordsByType[type]!).union(["nullable"]), in: "a '\(type)' schema")
        var schema = Schema(.boolean, description: description, defaultValue: node["default"].map(JSON.init), at: node.location)
        schema.isNullable = isNullable
        if isNullable && (context == .parameter || context == .component) {
            diagnostics.error("null is allowed only for properties, items and bodies", at: node.location)
        }
        switch type {
        case "object":
            guard context != .parameter else {
                diagnostics.error("a parameter schema must be a primitive type, not an object", at: node.location)
                return nil
            }
            if let values = mapValues(node, context: context, name: name) {
                schema.kind = .map(values: values)
                return schema
            }
            guard let shape = readObject(node, name: name) else { return nil }
            schema.kind = .object(shape)
            if context == .nested {
                schema.isNullable = false
                var reference = nameInline(schema, as: name)
                reference?.isNullable = isNullable
                return reference
            }
        case "array":
            guard let itemsNode = node["items"] else {
                diagnostics.error("array schema has no 'items'", at: node.location)
                return nil
            }
            let itemContext: SchemaContext = context == .parameter ? .parameter : .nested
            guard let items = readSchema(itemsNode, context: itemContext, name: name + "Item") else { return nil }
            schema.kind = .array(
                items: items, minItems: integer(node["minItems"], "minItems"), maxItems: integer(node["maxItems"], "maxItems"))
        case "string":
            let rules = readStringRules(node, name: name)
            if rules.format == "binary" && context == .parameter {
                diagnostics.error("'format: binary' is a file, supported only in multipart/form-data bodies", at: node["format"]!.location)
            }
            schema.kind = .string(rules)
            // A string of several allowed values is a Swift enum, named like an inline object
            // (parameters and headers stay strings checked against the values).
            if context == .nested, let allowed = rules.allowed, allowed.count >= 2 {
                let nullable = schema.isNullable
                schema.isNullable = false
                var reference = nameInline(schema, as: name)
                reference?.isNullable = nullable
                return reference
            }
        case "integer": schema.kind = .integer(readNumberRules(node, integral: true))
        case "number": schema.kind = .number(readNumberRules(node, integral: false))
        default: schema.kind = .boolean
        }
        return schema
    }

    /// Whether a named schema is a primitive or an array (or a map): a value with no Swift type
    /// of its own, written in place of each `$ref` to it.
    static func isNamedValue(_ node: YAMLNode) -> Bool {
        guard node["$ref"] == nil, node["oneOf"] == nil, node["anyOf"] == nil, node["properties"] == nil else { return false }
        let type = node["type"]?.scalar?.text
        return type != nil && type != "object" || type == "object" && node["additionalProperties"]?.pairs != nil
    }

    /// The named primitive, array or map `name`, read where a `$ref` to it stands (`at`), so
    /// that its rules apply there; one that reaches itself is an error at the `$ref`.
    private mutating func namedValue(_ name: String, _ target: YAMLNode, context: SchemaContext, at location: SourceLocation) -> Schema? {
        guard !namedValuesBeingRead.contains(name) else {
            diagnostics.error(
                "schema '\(name)' is an array or map that contains itself, which Swift cannot write in place; let an object schema break the cycle",
                at: location)
            return nil
        }
        namedValuesBeingRead.insert(name)
        defer { namedValuesBeingRead.remove(name) }
        // Read again at each `$ref`: its mistakes come out the same, at the same spots, and
        // `Diagnostics.sorted` keeps one of each.
        guard var schema = readSchema(target, context: context == .parameter ? .parameter : .nested, name: SwiftNames.type(name)) else {
            return nil
        }
        schema.location = location
        return schema
    }

    /// `type: T`, or `type: [T, "null"]` (3.1 and later): the one type and whether null is allowed.
    private mutating func readType(_ node: YAMLNode) -> (String, Bool)? {
        guard let items = node.items else { return string(node, "type").map { ($0, false) } }
        let names = items.compactMap { string($0, "a type") }
        let types = names.filter { $0 != "null" }
        guard types.count == 1, names.count == items.count else {
            diagnostics.error(
                "a schema of several types (\(names.joined(separator: ", "))) is not supported; write one type, and \"null\" if it may be null",
                at: node.location)
            return nil
        }
        return (types[0], names.count == 2)
    }

    /// `nullable: true` in a 3.0 document; in 3.1 and later an error that says what to write.
    private mutating func readNullable(_ node: YAMLNode) -> Bool {
        guard let nullable = node["nullable"] else { return false }
        guard openAPIMinor == 0 else {
            diagnostics.error("'nullable' is OpenAPI 3.0; in 3.1 and later write 'type: [T, \"null\"]'", at: nullable.location)
            return false
        }
        return bool(nullable, "nullable") ?? false
    }

    /// The value schema of a map: an object with no `properties` whose `additionalProperties`
    /// is a schema. Nil for any other object.
    private mutating func mapValues(_ node: YAMLNode, context: SchemaContext, name: String) -> Schema? {
        guard node["properties"] == nil, let additional = node["additionalProperties"], additional.pairs != nil else {
            return nil
        }
        if node["required"] != nil {
            diagnostics.error("a map (additionalProperties without properties) cannot have 'required'", at: node["required"]!.location)
        }
        return readSchema(additional, context: .nested, name: name + "Value")
    }

    /// An inline object under the type name `name`, kept in `inlineSchemas`; the schema that
    /// stands in its place refers to it. When a component or another inline schema has the
    /// name already, the inline one is kept under the name numbered (`CreatePetRequest_2`), and
    /// `GeneratedNames` gives it a Swift type of its own.
    mutating func nameInline(_ schema: Schema, as name: String) -> Schema? {
        var key = name
        var number = 1
        while true {
            if let other = inlineSchemas.first(where: { $0.name == key }) {
                // The same inline schema read again (inside a named array or map, at each `$ref`).
                if other.schema.location == schema.location { return Schema(.reference(key), description: schema.description, at: schema.location) }
            } else if let component = components["schemas"]?[key], component.location != schema.location {
                // Taken by a component (a named enum is named by its component: that is not a clash).
            } else {
                break
            }
            number += 1
            key = name + "_\(number)"
        }
        inlineSchemas.append((name: key, schema: schema))
        return Schema(.reference(key), description: schema.description, at: schema.location)
    }

    /// An object's shape; `checksRequired` false leaves `required` to the caller (`allOf`).
    mutating func readObject(_ node: YAMLNode, name: String, checksRequired: Bool = true) -> ObjectShape? {
        let required = (sequence(node["required"], "required") ?? []).compactMap { string($0, "a required name") }
        var properties: [ObjectShape.Property] = []
        // A property that was rejected still counts as declared, so one mistake gives one error.
        var declared: Set<String> = []
        if let propertiesNode = node["properties"], let pairs = mapping(propertiesNode, "properties") {
            for pair in pairs {
                declared.insert(pair.key)
                guard let schema = readSchema(pair.value, context: .nested, name: name + SwiftNames.type(pair.key)) else { continue }
                properties.append(.init(name: pair.key, schema: schema, isRequired: required.contains(pair.key)))
            }
        }
        for requiredName in required where checksRequired && !declared.contains(requiredName) {
            diagnostics.error("required property '\(requiredName)' is not among the properties", at: node["required"]!.location)
        }
        var allowsAdditional = false
        if let additional = node["additionalProperties"] {
            if additional.scalar != nil {
                allowsAdditional = bool(additional, "additionalProperties") ?? false
            } else {
                diagnostics.error(
                    "additionalProperties with a schema is supported only without 'properties' (a map); here it must be true or false",
                    at: additional.location)
            }
        }
        return ObjectShape(properties: properties, allowsAdditionalProperties: allowsAdditional)
    }

    private mutating func readStringRules(_ node: YAMLNode, name: String) -> StringRules {
        var rules = StringRules()
        rules.minLength = integer(node["minLength"], "minLength")
        rules.maxLength = integer(node["maxLength"], "maxLength")
        rules.format = string(node["format"], "format")
        if let patternNode = node["pattern"], let pattern = string(patternNode, "pattern") {
            // The engine the generated code uses (ICU, through NSRegularExpression).
            if (try? NSRegularExpression(pattern: pattern)) == nil {
                diagnostics.error("pattern '\(pattern)' is not a valid regular expression", at: patternNode.location)
            }
            rules.pattern = pattern
        }
        if let constant = node["const"] {
            rules.allowed = string(constant, "const").map { [$0] }
        } else if let values = sequence(node["enum"], "enum") {
            rules.allowed = values.compactMap { string($0, "an enum value") }
        }
        rules.contentMediaType = string(node["contentMediaType"], "contentMediaType")
        if let content = node["contentSchema"] {
            rules.contentSchema = readSchema(content, context: .nested, name: name + "Content")
        }
        return rules
    }

    private mutating func readNumberRules(_ node: YAMLNode, integral: Bool) -> NumberRules {
        var rules = NumberRules()
        let read = { (reader: inout SpecReader, key: String) -> Double? in
            integral ? reader.integer(node[key], key).map(Double.init) : reader.number(node[key], key)
        }
        rules.minimum = read(&self, "minimum")
        rules.maximum = read(&self, "maximum")
        // OpenAPI 3.0 writes an exclusive bound as `minimum` with `exclusiveMinimum: true`.
        if openAPIMinor == 0, case .bool(let exclusive)? = node["exclusiveMinimum"].map(JSON.init) {
            if exclusive { (rules.exclusiveMinimum, rules.minimum) = (rules.minimum, nil) }
        } else {
            rules.exclusiveMinimum = read(&self, "exclusiveMinimum")
        }
        if openAPIMinor == 0, case .bool(let exclusive)? = node["exclusiveMaximum"].map(JSON.init) {
            if exclusive { (rules.exclusiveMaximum, rules.maximum) = (rules.maximum, nil) }
        } else {
            rules.exclusiveMaximum = read(&self, "exclusiveMaximum")
        }
        rules.format = string(node["format"], "format")
        if node["const"] != nil {
            rules.allowed = read(&self, "const").map { [$0] }
        } else if let values = sequence(node["enum"], "enum") {
            rules.allowed = values.compactMap { integral ? integer($0, "an enum value").map(Double.init) : number($0, "an enum value") }
        }
        return rules
    }
}
