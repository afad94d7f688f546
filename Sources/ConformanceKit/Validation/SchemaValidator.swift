import RouteGenCore

/// Judges JSON values by the spec's schemas (RouteGenCore's `Schema` model), independently of
/// the server's generated types: type, properties, required, additionalProperties, items,
/// min/maxItems, min/maxLength (in Unicode scalars), pattern, format (uuid, date-time), enum and
/// const, minimum/maximum (and exclusive), `oneOf` chosen by its discriminator, and `oneOf` and
/// `anyOf` without one (exactly one, or at least one, variant accepts).
///
/// Not shared between threads (it caches compiled patterns).
struct SchemaValidator {
    private let schemas: [String: Schema]
    /// Stricter patterns per format that the spec states in prose (`x-conformance.formatProfiles`).
    private let formatProfiles: [String: String]
    private let patterns = PatternCache()

    init(document: APIDocument, formatProfiles: [String: String] = [:]) {
        var schemas: [String: Schema] = [:]
        for named in document.schemas { schemas[named.name] = named.schema }
        self.schemas = schemas
        self.formatProfiles = formatProfiles
    }

    /// The named schema, if the spec has it.
    func schema(named name: String) -> Schema? { schemas[name] }

    /// Every violation of `schema` by `value`; empty when it conforms.
    func validate(_ value: JSON, against schema: Schema, at path: String = "$") -> [SchemaViolation] {
        var found: [SchemaViolation] = []
        check(value, schema, path, &found)
        return found
    }

    private func check(_ value: JSON, _ schema: Schema, _ path: String, _ found: inout [SchemaViolation]) {
        func fail(_ message: String) { found.append(SchemaViolation(path: path, message: message)) }
        if schema.isNullable, case .null = value { return }
        switch schema.kind {
        case .reference(let name):
            guard let target = schemas[name] else { return fail("the spec has no schema '\(name)'") }
            check(value, target, path, &found)
        case .object(let shape):
            guard case .object(let pairs) = value else { return fail("expected an object, got \(Self.kind(of: value))") }
            checkObject(pairs, shape, path, &found)
        case .array(let items, let minItems, let maxItems):
            guard case .array(let elements) = value else { return fail("expected an array, got \(Self.kind(of: value))") }
            if let minItems, elements.count < minItems { fail("expected at least \(minItems) items, got \(elements.count)") }
            if let maxItems, elements.count > maxItems { fail("expected at most \(maxItems) items, got \(elements.count)") }
            for (index, element) in elements.enumerated() { check(element, items, "\(path)[\(index)]", &found) }
        case .map(let values):
            guard case .object(let pairs) = value else { return fail("expected an object, got \(Self.kind(of: value))") }
            for pair in pairs { check(pair.value, values, "\(path).\(pair.key)", &found) }
        case .string(let rules):
            guard case .string(let text) = value else { return fail("expected a string, got \(Self.kind(of: value))") }
            checkString(text, rules, path, &found)
        case .integer(let rules):
            switch value {
            case .integer(let integer): checkNumber(Double(integer), rules, path, &found)
            case .number(let number) where number.rounded() == number: checkNumber(number, rules, path, &found)
            default: fail("expected an integer, got \(Self.kind(of: value))")
            }
        case .number(let rules):
            switch value {
            case .integer(let integer): checkNumber(Double(integer), rules, path, &found)
            case .number(let number): checkNumber(number, rules, path, &found)
            default: fail("expected a number, got \(Self.kind(of: value))")
            }
        case .boolean:
            guard case .bool = value else { return fail("expected a boolean, got \(Self.kind(of: value))") }
        case .any:
            return
        case .oneOf(let oneOf) where oneOf.matching != .discriminator:
            // Without a discriminator: `oneOf` needs exactly one variant to accept, `anyOf` one at least.
            let accepting = oneOf.variants.filter { variant in
                variant.schema.map { validate(value, against: $0, at: path).isEmpty } ?? false
            }
            switch (oneOf.matching, accepting.count) {
            case (.atLeastOne, 1...), (.exactlyOne, 1): return
            case (_, 0): fail("matches none of the variants \(oneOf.variants.map(\.caseName))")
            default: fail("matches \(accepting.count) variants (\(accepting.map(\.caseName))), but oneOf needs exactly one")
            }
        case .oneOf(let oneOf):
            guard case .object = value else { return fail("expected an object, got \(Self.kind(of: value))") }
            guard case .string(let tag) = value[oneOf.propertyName] else {
                return fail("missing the discriminator '\(oneOf.propertyName)' (a string)")
            }
            guard let variant = oneOf.variants.first(where: { $0.tag == tag }) else {
                return fail("'\(oneOf.propertyName)' is '\(tag)', expected one of \(oneOf.variants.map(\.tag))")
            }
            check(value, Schema(.reference(variant.schemaName), at: schema.location), path, &found)
        }
    }

    private func checkObject(
        _ pairs: [(key: String, value: JSON)], _ shape: ObjectShape, _ path: String, _ found: inout [SchemaViolation]
    ) {
        for property in shape.properties {
            if let value = pairs.first(where: { $0.key == property.name })?.value {
                check(value, property.schema, "\(path).\(property.name)", &found)
            } else if property.isRequired {
                found.append(SchemaViolation(path: path, message: "missing the required property '\(property.name)'"))
            }
        }
        guard !shape.allowsAdditionalProperties else { return }
        for pair in pairs where !shape.properties.contains(where: { $0.name == pair.key }) {
            found.append(
                SchemaViolation(
                    path: path,
                    message: "unexpected property '\(pair.key)' (allowed: \(shape.properties.map(\.name).joined(separator: ", ")))"))
        }
    }

    private func checkString(_ text: String, _ rules: StringRules, _ path: String, _ found: inout [SchemaViolation]) {
        func fail(_ message: String) { found.append(SchemaViolation(path: path, message: message)) }
        let length = text.unicodeScalars.count
        if let minLength = rules.minLength, length < minLength { fail("\(Self.quoted(text)) is shorter than \(minLength) characters") }
        if let maxLength = rules.maxLength, length > maxLength { fail("\(Self.quoted(text)) is longer than \(maxLength) characters") }
        if let pattern = rules.pattern {
            switch patterns.matches(pattern, text) {
            case false?: fail("\(Self.quoted(text)) does not match \(pattern)")
            case nil: fail("the spec's pattern \(pattern) does not compile")
            case true?: break
            }
        }
        if let format = rules.format { checkFormat(format, text, fail) }
        if let allowed = rules.allowed, !allowed.contains(text) {
            fail("\(Self.quoted(text)) is not one of \(allowed.map(Self.quoted).joined(separator: ", "))")
        }
        if rules.contentMediaType == "application/json", let content = rules.contentSchema {
            do {
                check(try JSONParser.parse(text), content, path + "(json)", &found)
            } catch {
                fail("\(error)")
            }
        }
    }

    private func checkFormat(_ format: String, _ text: String, _ fail: (String) -> Void) {
        switch format {
        case "uuid" where !FormatCheck.isUUID(text): fail("\(Self.quoted(text)) is not a UUID")
        case "date-time" where !FormatCheck.isDateTime(text): fail("\(Self.quoted(text)) is not an RFC 3339 date-time")
        default: break
        }
        if let profile = formatProfiles[format], patterns.matches(profile, text) == false {
            fail("\(Self.quoted(text)) does not follow the spec's \(format) convention \(profile)")
        }
    }

    private func checkNumber(_ number: Double, _ rules: NumberRules, _ path: String, _ found: inout [SchemaViolation]) {
        func fail(_ message: String) { found.append(SchemaViolation(path: path, message: message)) }
        let shown = number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        if let minimum = rules.minimum, number < minimum { fail("\(shown) is below the minimum \(Self.format(minimum))") }
        if let maximum = rules.maximum, number > maximum { fail("\(shown) is above the maximum \(Self.format(maximum))") }
        if let bound = rules.exclusiveMinimum, number <= bound { fail("\(shown) is not above \(Self.format(bound))") }
        if let bound = rules.exclusiveMaximum, number >= bound { fail("\(shown) is not below \(Self.format(bound))") }
        if let allowed = rules.allowed, !allowed.contains(number) {
            fail("\(shown) is not one of \(allowed.map(Self.format).joined(separator: ", "))")
        }
        if rules.format == "int32", !(Double(Int32.min)...Double(Int32.max)).contains(number) { fail("\(shown) is outside int32") }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// `"text"`, cut to 80 characters.
    static func quoted(_ text: String) -> String {
        JSON.quoted(text.unicodeScalars.count > 80 ? String(text.unicodeScalars.prefix(80)) + "…" : text)
    }

    /// A word for a value's JSON type.
    static func kind(of value: JSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer(let integer): "the integer \(integer)"
        case .number(let number): "the number \(number)"
        case .string(let text): "the string \(quoted(text))"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
