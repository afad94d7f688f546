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
            // An object or a union is a Swift type; any other (an alias `$ref`, a one-variant
            // `oneOf`, a JSON value) a `typealias`.
            if let schema = readSchema(node, context: .component, name: SwiftNames.type(name)) {
                schemas.append((name: name, schema: schema))
            }
        }
        let positions = Self.index(schemas)
        for index in schemas.indices {
            if case .oneOf(let oneOf) = schemas[index].schema.kind, oneOf.matching == .discriminator {
                schemas[index].schema.kind = .oneOf(resolveVariants(oneOf, schemas: schemas, positions: positions, at: schemas[index].schema.location))
            }
        }
        inlineAliases(&schemas)
        cycles = Self.cycles(schemas + inlineSchemas)
        return schemas
    }

    /// Reads the schema at `node`; `name` is the Swift type an inline object here becomes.
    mutating func readSchema(_ node: YAMLNode, context: SchemaContext, name: String) -> Schema? {
        if openAPIMinor >= 1, case .bool(let allows)? = node.scalar.map({ _ in JSON(node) }) {
            // A boolean schema (JSON Schema, 3.1 and later): `true` allows anything, `false` nothing.
            if !allows {
                diagnostics.warn(.falseSchema, at: node.location)
            }
            return Schema(context == .parameter ? .string(StringRules()) : .any, at: node.location)
        }
        guard let pairs = mapping(node, "a schema") else { return nil }
        let description = string(node["description"], "description")
        if let reference = node["$ref"], let text = reference.scalar?.text, !text.hasPrefix("#") {
            // Another document: not fetched, so nothing is known of the value.
            diagnostics.warn(.externalReference(text), at: reference.location)
            return Schema(context == .parameter ? .string(StringRules()) : .any, description: description, at: node.location)
        }
        if let reference = node["$ref"] {
            if let pointed = pointedSchema(reference, context: context, name: name) { return pointed }
            return readReference(reference, node, pairs, context: context, description: description)
        }
        if context == .parameter, let what = compositeInParameter(node) {
            // A parameter is text; without a primitive `type` beside the composition there is
            // nothing to check it against, so the handler gets the text as it came.
            diagnostics.warn(.compositeParameter(what), at: node.location)
            return Schema(.string(StringRules()), description: description, at: node.location)
        }
        let hasPrimitiveType = node["type"]?.scalar.map { ["string", "integer", "number", "boolean"].contains($0.text) } ?? false
        let composition = ["allOf", "oneOf", "anyOf"].first { node[$0] != nil }
        if let composition, hasPrimitiveType, context == .parameter || node[composition]?.items?.allSatisfy(Self.isConstVariant) == true {
            // `type: integer` with `oneOf` of `const` variants (and the like): read as the type.
            diagnostics.warn(.compositionBesideType(composition), at: pairs.first { $0.key == composition }!.keyLocation)
            return readTyped(node, pairs, context: context, name: name, description: description, ignoring: [composition])
        }
        if node["allOf"] != nil {
            return readAllOf(node, pairs, context: context, name: name)
        }
        if node["oneOf"] != nil && node["discriminator"] != nil {
            return readOneOf(node, pairs, context: context, name: name)
        }
        if node["oneOf"] != nil || node["anyOf"] != nil {
            return readUnion(node, pairs, context: context, name: name)
        }
        return readTyped(node, pairs, context: context, name: name, description: description, ignoring: [])
    }

    /// Whether a `oneOf` variant is only a `const` (or one-value `enum`) with annotations.
    static func isConstVariant(_ node: YAMLNode) -> Bool {
        guard let pairs = node.pairs, node["const"] != nil || node["enum"]?.items?.count == 1 else { return false }
        return pairs.allSatisfy { ["const", "enum", "title", "description", "type", "deprecated"].contains($0.key) }
    }

    /// What keeps a parameter's schema from being text of one primitive (or an array of them):
    /// an object, a composition without a `type`, a `$ref` to one of those; nil when it is one.
    func compositeInParameter(_ node: YAMLNode, depth: Int = 0) -> Diagnostic.SchemaShape? {
        if let reference = node["$ref"]?.scalar?.text {
            guard depth < 16, let target = pointerTarget(reference) else { return nil }  // reported where it is read
            return compositeInParameter(target, depth: depth + 1)
        }
        let type = node["type"]?.scalar?.text
        if type == "object" || (type == nil && (node["properties"] != nil || node["additionalProperties"] != nil)) { return .object }
        if type == nil, let composition = ["allOf", "oneOf", "anyOf"].first(where: { node[$0] != nil }) { return .composition(composition) }
        if type == nil && node["items"] == nil && node["type"]?.items == nil { return .withoutType }
        if type == "array", let items = node["items"], let inner = compositeInParameter(items, depth: depth + 1) { return .arrayOf(inner) }
        return nil
    }

    /// A `$ref` schema: the named type, or the named primitive written in place. Keywords beside
    /// it (3.1 allows them) are annotations, or warnings naming what is not applied.
    private mutating func readReference(
        _ reference: YAMLNode, _ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, description: String?
    ) -> Schema? {
        checkKeys(
            pairs, allowed: ["$ref", "description", "summary", "title", "example", "examples", "deprecated", "readOnly", "writeOnly", "nullable", "default"],
            in: "a $ref schema", isSchema: true)
        guard let name = referencedName(reference, kind: "schemas") else { return nil }
        let target = components["schemas"]![name]!
        var schema: Schema
        if Self.isNamedValue(target) {
            guard let value = namedValue(name, target, context: context, at: node.location) else { return nil }
            schema = value
        } else {
            schema = writingInPlace(Schema(.reference(name), description: description, at: node.location))
        }
        // Null allowed beside the `$ref`, or by the named schema itself (which stays non-null
        // as a Swift type): a reference that may be null.
        if context != .parameter && (readNullable(node) || Self.allowsNull(target)) { schema.isNullable = true }
        return schema
    }

    /// Whether a schema node allows `null`: `nullable: true`, `type: [..., 'null']`, or a
    /// `oneOf`/`anyOf` with a `type: 'null'` variant.
    static func allowsNull(_ node: YAMLNode) -> Bool {
        if case .bool(true)? = node["nullable"].map(JSON.init) { return true }
        if node["type"]?.items?.contains(where: { $0.scalar?.text == "null" }) == true { return true }
        let variants = (node["oneOf"]?.items ?? []) + (node["anyOf"]?.items ?? [])
        return variants.contains { $0["type"]?.scalar?.text == "null" }
    }

    /// A schema described by its `type` (or, without one, by its keywords); `ignoring` lists
    /// keywords already reported.
    private mutating func readTyped(
        _ node: YAMLNode, _ pairs: [YAMLPair], context: SchemaContext, name: String, description: String?, ignoring: Set<String>
    ) -> Schema? {
        let type: String
        var isNullable = readNullable(node)
        if let typeNode = node["type"] {
            guard let (text, allowsNull) = readType(typeNode) else {
                // Several types: any JSON value, unchecked.
                checkKeys(pairs, allowed: Self.allSchemaKeywords, in: "a schema of several types", isSchema: true)
                return anyValue(node, context: context, description: description, isNullable: true)
            }
            if text == "null" {
                checkKeys(pairs, allowed: Self.commonKeywords.union(["nullable"]).union(ignoring), in: "a 'null' schema", isSchema: true)
                diagnostics.warn(.nullOnlyType, at: typeNode.location)
                return anyValue(node, context: context, description: description, isNullable: true)
            }
            guard Self.keywordsByType[text] != nil else {
                diagnostics.refuse(.unknownType(text), at: typeNode.location)
                return nil
            }
            type = text
            isNullable = isNullable || allowsNull
        } else if node["properties"] != nil || node["additionalProperties"] != nil {
            // An object schema may leave out `type: object`; its keywords say what it is.
            type = "object"
        } else if node["items"] != nil {
            type = "array"
        } else {
            // No `type`: any JSON value. Keywords that would constrain it are named as not checked.
            checkKeys(pairs, allowed: Self.commonKeywords.union(["nullable"]).union(ignoring), in: "a schema without 'type'", isSchema: true)
            return anyValue(node, context: context, description: description, isNullable: isNullable)
        }
        checkKeys(pairs, allowed: Self.commonKeywords.union(Self.keywordsByType[type]!).union(["nullable"]).union(ignoring), in: "a '\(type)' schema", isSchema: true)
        var schema = Schema(.boolean, description: description, defaultValue: node["default"].map(JSON.init), at: node.location)
        schema.isNullable = isNullable
        if isNullable && (context == .parameter || context == .component) {
            // A component's `$ref`s allow null instead (`readReference`); a parameter's text is
            // never JSON's null.
            schema.isNullable = false
        }
        switch type {
        case "object":
            guard context != .parameter else {
                diagnostics.refuse(.objectParameter, at: node.location)
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
            let itemContext: SchemaContext = context == .parameter ? .parameter : .nested
            // Without `items`, the items are any JSON values (text in a parameter).
            let items = node["items"].map { readSchema($0, context: itemContext, name: name + "Item") }
                ?? Schema(context == .parameter ? .string(StringRules()) : .any, at: node.location)
            guard let items else { return nil }
            schema.kind = .array(
                items: items, minItems: integer(node["minItems"], "minItems"), maxItems: integer(node["maxItems"], "maxItems"))
        case "string":
            var rules = readStringRules(node, name: name)
            if rules.format == "binary" && context == .parameter {
                diagnostics.warn(.binaryOutsideMultipart, at: node["format"]!.location)
                rules.format = nil
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
            diagnostics.warn(.selfContainingValue(name), at: location)
            return Schema(context == .parameter ? .string(StringRules()) : .any, at: location)
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
        guard names.count == items.count else { return nil }
        if types.isEmpty { return ("null", true) }
        guard types.count == 1 else {
            diagnostics.warn(.severalTypes(names), at: node.location)
            return nil
        }
        return (types[0], names.count == 2)
    }

    /// `nullable: true` in a 3.0 document; in 3.1 and later (which dropped it, though authors
    /// still write it) read the same, with a warning that says what to write.
    mutating func readNullable(_ node: YAMLNode) -> Bool {
        guard let nullable = node["nullable"] else { return false }
        if openAPIMinor != 0 {
            diagnostics.warn(.nullableOf30, at: nullable.location)
        }
        return bool(nullable, "nullable") ?? false
    }

    /// Every keyword a schema may have that RouteGen reads somewhere.
    static let allSchemaKeywords: Set<String> = keywordsByType.values.reduce(commonKeywords.union(["nullable"])) { $0.union($1) }

    /// Any JSON value where a schema cannot be typed: `JSONValue` (text in a parameter).
    private mutating func anyValue(_ node: YAMLNode, context: SchemaContext, description: String?, isNullable: Bool) -> Schema {
        var schema = Schema(context == .parameter ? .string(StringRules()) : .any, description: description, at: node.location)
        schema.isNullable = isNullable && context != .parameter && context != .component
        return schema
    }

    /// The value schema of a map: an object with no `properties` whose `additionalProperties`
    /// is a schema. Nil for any other object.
    private mutating func mapValues(_ node: YAMLNode, context: SchemaContext, name: String) -> Schema? {
        guard node["properties"] == nil, let additional = node["additionalProperties"], additional.pairs != nil else {
            return nil
        }
        if node["required"] != nil {
            diagnostics.warn(.requiredOnMap, at: node["required"]!.location)
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
            if let other = inlineIndex[key].map({ inlineSchemas[$0] }) {
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
        inlineIndex[key] = inlineSchemas.count
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
            diagnostics.warn(.requiredNotAProperty(requiredName), at: node["required"]!.location)
        }
        var allowsAdditional = false
        if let additional = node["additionalProperties"] {
            if additional.scalar != nil {
                allowsAdditional = bool(additional, "additionalProperties") ?? false
            } else {
                // Beside `properties` the other members are allowed but not typed: the Swift
                // struct keeps only its properties.
                allowsAdditional = true
                diagnostics.warn(.additionalPropertiesBesideProperties, at: additional.location)
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
                diagnostics.warn(.patternNotRunnable(pattern), at: patternNode.location)
            } else {
                rules.pattern = pattern
            }
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
