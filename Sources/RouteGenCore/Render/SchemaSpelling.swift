/// How a schema is spelled in generated Swift: as a type, and as a `SchemaRule` expression.
enum SchemaSpelling {
    /// The Swift type of a value of `schema`: optional when it may be null.
    static func swiftType(_ schema: Schema, _ names: GeneratedNames) -> String {
        nonNullType(schema, names) + (schema.isNullable ? "?" : "")
    }

    /// `type`, optional unless `required` (a nullable type is optional already).
    static func optional(_ type: String, unless required: Bool) -> String {
        required || type.hasSuffix("?") ? type : type + "?"
    }

    private static func nonNullType(_ schema: Schema, _ names: GeneratedNames) -> String {
        switch schema.kind {
        case .reference(let name): names.schema(name)
        case .array(let items, _, _): "[\(swiftType(items, names))]"
        case .map(let values): "[Swift.String: \(swiftType(values, names))]"
        case .string(let rules): rules.format == "binary" ? "APIRuntime.MultipartFile" : "Swift.String"
        case .integer: "Swift.Int"
        case .number: "Swift.Double"
        case .boolean: "Swift.Bool"
        case .any: "APIRuntime.JSONValue"
        case .object, .oneOf: "Swift.Never"  // only named, never nested: the reader names inline objects
        }
    }

    /// A `SchemaRule` expression that checks a JSON value against `schema`; a reference to one
    /// of `deferring` (the schemas of the cycle the rule is part of) is read only when a value is
    /// checked, so that making the rule does not need itself.
    static func rule(_ schema: Schema, _ names: GeneratedNames, deferring: Set<String> = []) -> String {
        schema.isNullable ? ".nullable(\(nonNullRule(schema, names, deferring)))" : nonNullRule(schema, names, deferring)
    }

    private static func nonNullRule(_ schema: Schema, _ names: GeneratedNames, _ deferring: Set<String>) -> String {
        let rule = { (schema: Schema) in Self.rule(schema, names, deferring: deferring) }
        switch schema.kind {
        case .reference(let name) where deferring.contains(name): return ".deferred { \(names.schema(name)).schemaRule }"
        case .reference(let name): return "\(names.schema(name)).schemaRule"
        case .array(let items, let minItems, let maxItems):
            return ".array(" + ([rule(items)] + arguments([("minItems", minItems.map(String.init)), ("maxItems", maxItems.map(String.init))])).joined(separator: ", ") + ")"
        case .map(let values): return ".map(\(rule(values)))"
        case .string(let rules) where rules.format == "binary": return ".file"
        case .string(let rules): return ".string(\(stringRule(rules)))"
        case .integer(let rules): return ".integer(\(numberRule(rules)))"
        case .number(let rules): return ".number(\(numberRule(rules)))"
        case .boolean: return ".boolean"
        case .any: return ".any"
        case .object(let shape):
            return ".object([" + shape.properties.map {
                "APIRuntime.PropertyRule(\(SwiftNames.literal($0.name)), \(rule($0.schema)), required: \($0.isRequired))"
            }.joined(separator: ", ") + "], additionalProperties: \(shape.allowsAdditionalProperties))"
        case .oneOf(let oneOf) where oneOf.matching == .discriminator:
            return ".oneOf(discriminator: \(SwiftNames.literal(oneOf.propertyName)), variants: [" + oneOf.variants.map {
                "(\(SwiftNames.literal($0.tag)), \(rule(Schema(.reference($0.schemaName), at: schema.location))))"
            }.joined(separator: ", ") + "])"
        case .oneOf(let oneOf):
            return (oneOf.matching == .atLeastOne ? ".anyOf([" : ".exactlyOne([")
                + oneOf.variants.compactMap { $0.schema.map(rule) }.joined(separator: ", ") + "])"
        }
    }

    /// `declaration: SchemaRule = <rule>`, with an object's properties one per line.
    static func ruleDeclaration(_ declaration: String, _ schema: Schema, _ names: GeneratedNames, deferring: Set<String> = []) -> SwiftCode {
        guard case .object(let shape) = schema.kind, !shape.properties.isEmpty else {
            return .line("\(declaration): APIRuntime.SchemaRule = \(rule(schema, names, deferring: deferring))")
        }
        return .block(
            "\(declaration): APIRuntime.SchemaRule = .object(",
            shape.properties.map {
                .line("APIRuntime.PropertyRule(\(SwiftNames.literal($0.name)), \(rule($0.schema, names, deferring: deferring)), required: \($0.isRequired)),")
            },
            opening: "[", closing: "], additionalProperties: \(shape.allowsAdditionalProperties))")
    }

    /// A `StringRule(...)` expression.
    static func stringRule(_ rules: StringRules) -> String {
        "APIRuntime.StringRule(" + arguments([
            ("minLength", rules.minLength.map(String.init)),
            ("maxLength", rules.maxLength.map(String.init)),
            ("pattern", rules.pattern.map { "APIRuntime.Pattern(\(SwiftNames.literal($0)))" }),
            ("format", rules.format.map(SwiftNames.literal)),
            ("allowed", rules.allowed.map { "[" + $0.map(SwiftNames.literal).joined(separator: ", ") + "]" }),
        ]).joined(separator: ", ") + ")"
    }

    /// A `NumberRule(...)` expression.
    static func numberRule(_ rules: NumberRules) -> String {
        "APIRuntime.NumberRule(" + arguments([
            ("minimum", rules.minimum.map(number)),
            ("maximum", rules.maximum.map(number)),
            ("exclusiveMinimum", rules.exclusiveMinimum.map(number)),
            ("exclusiveMaximum", rules.exclusiveMaximum.map(number)),
            ("allowed", rules.allowed.map { "[" + $0.map(number).joined(separator: ", ") + "]" }),
        ]).joined(separator: ", ") + ")"
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func arguments(_ pairs: [(String, String?)]) -> [String] {
        pairs.compactMap { label, value in value.map { "\(label): \($0)" } }
    }

    /// A Swift literal for a JSON default of a parameter of `schema`, if it has one.
    static func defaultLiteral(_ schema: Schema) -> String? {
        switch (schema.defaultValue, schema.kind) {
        case (.integer(let value)?, .integer), (.integer(let value)?, .number): String(value)
        case (.number(let value)?, .number): String(value)
        case (.string(let value)?, .string): SwiftNames.literal(value)
        case (.bool(let value)?, .boolean): String(value)
        default: nil
        }
    }
}
