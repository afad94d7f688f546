import Foundation

extension SpecReader {
    /// Where a schema stands, which decides what it may be.
    enum SchemaContext {
        /// A named schema in `components.schemas`: anything in the subset.
        case component
        /// An object's property or an array's items: anything but an inline object or `oneOf`.
        case nested
        /// A JSON body: a `$ref`, or an array of them.
        case body
        /// A parameter or a text body: a primitive.
        case parameter
        /// An SSE `itemSchema`: an inline object of primitives.
        case eventItem
    }

    static let commonKeywords: Set<String> = [
        "type", "description", "title", "default", "deprecated", "readOnly", "writeOnly", "example", "examples",
    ]
    static let keywordsByType: [String: Set<String>] = [
        "object": ["properties", "required", "additionalProperties"],
        "array": ["items", "minItems", "maxItems"],
        "string": ["minLength", "maxLength", "pattern", "format", "enum", "const", "contentMediaType", "contentSchema"],
        "integer": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format", "enum", "const"],
        "number": ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "format", "enum", "const"],
        "boolean": [],
    ]

    /// Reads `components.schemas` and checks what needs all of them: `oneOf` variants and cycles.
    mutating func readSchemaComponents() -> [(name: String, schema: Schema)] {
        guard let rawSchemas = components["schemas"] else { return [] }
        var schemas: [(name: String, schema: Schema)] = []
        // Document order: the index is a dictionary, so order by location.
        for (name, node) in rawSchemas.sorted(by: { $0.value.location < $1.value.location }) {
            if name.first?.isUppercase != true || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                diagnostics.error("schema name '\(name)' must be an UpperCamelCase identifier", at: node.location)
            }
            if let schema = readSchema(node, context: .component) {
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
            if case .oneOf(let oneOf) = schemas[index].schema.kind {
                schemas[index].schema.kind = .oneOf(resolveVariants(oneOf, schemas: schemas, at: schemas[index].schema.location))
            }
        }
        checkCycles(schemas)
        return schemas
    }

    mutating func readSchema(_ node: YAMLNode, context: SchemaContext) -> Schema? {
        guard let pairs = mapping(node, "a schema") else { return nil }
        let description = string(node["description"], "description")
        if let reference = node["$ref"] {
            checkKeys(pairs, allowed: ["$ref", "description", "summary"], in: "a $ref schema")
            guard let name = referencedName(reference, kind: "schemas") else { return nil }
            if context == .parameter {
                diagnostics.error("a parameter schema must be a primitive type, not a $ref", at: reference.location)
            }
            return Schema(.reference(name), description: description, at: node.location)
        }
        if node["oneOf"] != nil {
            return readOneOf(node, pairs, context: context)
        }
        guard let typeNode = node["type"] else {
            diagnostics.error("schema has no 'type' (or '$ref', or 'oneOf')", at: node.location)
            return nil
        }
        guard let type = string(typeNode, "type") else { return nil }
        guard let specific = Self.keywordsByType[type] else {
            diagnostics.error("unknown type '\(type)' (object, array, string, integer, number, boolean)", at: typeNode.location)
            return nil
        }
        checkKeys(pairs, allowed: Self.commonKeywords.union(specific), in: "a '\(type)' schema")
        var schema = Schema(.boolean, description: description, defaultValue: node["default"].map(JSON.init), at: node.location)
        switch type {
        case "object":
            guard context == .component || context == .eventItem else {
                diagnostics.error(
                    "inline object schemas are not supported here; move it to components.schemas and use a $ref",
                    at: node.location)
                return nil
            }
            guard let shape = readObject(node) else { return nil }
            schema.kind = .object(shape)
        case "array":
            guard let itemsNode = node["items"] else {
                diagnostics.error("array schema has no 'items'", at: node.location)
                return nil
            }
            guard let items = readSchema(itemsNode, context: context == .body ? .body : .nested) else { return nil }
            schema.kind = .array(
                items: items, minItems: integer(node["minItems"], "minItems"), maxItems: integer(node["maxItems"], "maxItems"))
        case "string": schema.kind = .string(readStringRules(node))
        case "integer": schema.kind = .integer(readNumberRules(node, integral: true))
        case "number": schema.kind = .number(readNumberRules(node, integral: false))
        default: schema.kind = .boolean
        }
        if context == .body, case .array = schema.kind {
        } else if context == .body {
            diagnostics.error("a JSON body schema must be a $ref or an array of $refs", at: node.location)
        }
        if context == .parameter, case .array = schema.kind {
            diagnostics.error("a parameter schema must be a primitive type", at: node.location)
        }
        return schema
    }

    private mutating func readObject(_ node: YAMLNode) -> ObjectShape? {
        let required = (sequence(node["required"], "required") ?? []).compactMap { string($0, "a required name") }
        var properties: [ObjectShape.Property] = []
        if let propertiesNode = node["properties"], let pairs = mapping(propertiesNode, "properties") {
            for pair in pairs {
                guard let schema = readSchema(pair.value, context: .nested) else { continue }
                properties.append(.init(name: pair.key, schema: schema, isRequired: required.contains(pair.key)))
            }
        }
        for name in required where !properties.contains(where: { $0.name == name }) {
            diagnostics.error("required property '\(name)' is not among the properties", at: node["required"]!.location)
        }
        var allowsAdditional = false
        if let additional = node["additionalProperties"] {
            if additional.scalar != nil {
                allowsAdditional = bool(additional, "additionalProperties") ?? false
            } else {
                diagnostics.error("additionalProperties must be true or false", at: additional.location)
            }
        }
        return ObjectShape(properties: properties, allowsAdditionalProperties: allowsAdditional)
    }

    private mutating func readStringRules(_ node: YAMLNode) -> StringRules {
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
            rules.contentSchema = readSchema(content, context: .nested)
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
        rules.exclusiveMinimum = read(&self, "exclusiveMinimum")
        rules.exclusiveMaximum = read(&self, "exclusiveMaximum")
        rules.format = string(node["format"], "format")
        if node["const"] != nil {
            rules.allowed = read(&self, "const").map { [$0] }
        } else if let values = sequence(node["enum"], "enum") {
            rules.allowed = values.compactMap { integral ? integer($0, "an enum value").map(Double.init) : number($0, "an enum value") }
        }
        return rules
    }
}
