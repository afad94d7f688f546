import HTTPServer

/// Checks JSON values and parameter text against `SchemaRule`s, collecting every failure.
public struct SchemaValidator {
    public private(set) var errors: [ProblemDetails.FieldError] = []

    public init() {}

    /// Validates `value` found at `field` (`body`, `body.members[0].id`, spelled by `FieldPath`).
    public mutating func check(_ value: JSONValue, against rule: SchemaRule, at field: String) {
        switch rule {
        case .string(let constraint):
            guard case .string(let text) = value else { return mismatch(field, "string", value) }
            check(text, against: constraint, at: field)
        case .integer(let constraint):
            // JSON Schema counts a number without a fractional part (52.0, 5.2e1) as an integer.
            if case .number(let number) = value, Int(exactly: number) != nil { return check(number, against: constraint, at: field) }
            guard case .integer(let number) = value else { return mismatch(field, "integer", value) }
            check(Double(number), against: constraint, at: field)
        case .number(let constraint):
            switch value {
            case .integer(let number): check(Double(number), against: constraint, at: field)
            case .number(let number): check(number, against: constraint, at: field)
            default: mismatch(field, "number", value)
            }
        case .boolean:
            guard case .bool = value else { return mismatch(field, "boolean", value) }
        case .array(let items, let minItems, let maxItems):
            guard case .array(let elements) = value else { return mismatch(field, "array", value) }
            if let minItems, elements.count < minItems { fail(field, "must have at least \(minItems) items") }
            if let maxItems, elements.count > maxItems { fail(field, "must have at most \(maxItems) items") }
            for (index, element) in elements.enumerated() { check(element, against: items, at: FieldPath.index(field, index)) }
        case .object(let properties, let additionalProperties):
            guard case .object(let members) = value else { return mismatch(field, "object", value) }
            for property in properties {
                let path = FieldPath.member(field, property.name)
                // A present member is checked even when it is `null`: only a `.nullable` rule
                // allows null, and an optional property may be absent, not null.
                if let member = members[property.name] {
                    check(member, against: property.rule, at: path)
                } else if property.isRequired {
                    fail(path, "is required")
                }
            }
            if !additionalProperties {
                for name in members.keys.sorted() where !properties.contains(where: { $0.name == name }) {
                    fail(FieldPath.member(field, name), "is not a known field")
                }
            }
        case .nullable(let rule):
            if value != .null { check(value, against: rule, at: field) }
        case .map(let values):
            guard case .object(let members) = value else { return mismatch(field, "object", value) }
            for name in members.keys.sorted() { check(members[name]!, against: values, at: FieldPath.member(field, name)) }
        case .oneOf(let discriminator, let variants):
            guard case .object(let members) = value else { return mismatch(field, "object", value) }
            guard case .string(let tag)? = members[discriminator] else {
                return fail(FieldPath.member(field, discriminator), "is required and must be a string")
            }
            guard let variant = variants.first(where: { $0.tag == tag }) else {
                return fail(FieldPath.member(field, discriminator), "must be one of \(variants.map(\.tag).joined(separator: ", "))")
            }
            check(value, against: variant.rule, at: field)
        case .exactlyOne(let rules):
            checkUnion(value, rules, at: field, exactlyOne: true)
        case .anyOf(let rules):
            checkUnion(value, rules, at: field, exactlyOne: false)
        case .deferred(let rule):
            check(value, against: rule(), at: field)
        case .file:
            guard case .object(let members) = value, case .string? = members[MultipartFile.dataKey] else {
                return fail(field, "must be a file (a part of the multipart body)")
            }
        case .any:
            break
        }
    }

    /// Whether `value` meets `rule`, its failures not recorded.
    public static func accepts(_ value: JSONValue, _ rule: SchemaRule) -> Bool {
        var validator = SchemaValidator()
        validator.check(value, against: rule, at: "")
        return validator.errors.isEmpty
    }

    /// `anyOf` (one variant or more accepts `value`) or `oneOf` (exactly one does); a failure
    /// names the variants by their 1-based position and what each found.
    private mutating func checkUnion(_ value: JSONValue, _ rules: [SchemaRule], at field: String, exactlyOne: Bool) {
        var reasons: [String] = []
        var matching: [Int] = []
        for (index, rule) in rules.enumerated() {
            var variant = SchemaValidator()
            variant.check(value, against: rule, at: field)
            if variant.errors.isEmpty {
                matching.append(index + 1)
            } else {
                reasons.append("\(index + 1): " + variant.errors.map { "\($0.field) \($0.reason)" }.joined(separator: "; "))
            }
        }
        if matching.isEmpty {
            fail(field, "must match \(exactlyOne ? "exactly one" : "at least one") of its \(rules.count) variants, matches none (\(reasons.joined(separator: " | ")))")
        } else if exactlyOne && matching.count > 1 {
            fail(field, "must match exactly one of its \(rules.count) variants, matches \(matching.map(String.init).joined(separator: " and "))")
        }
    }

    /// Validates a string's constraints; a field gets one reason, the first that applies
    /// (length, format, pattern, allowed values), so `"alice"` is "not a UUID" once, not also
    /// "does not match" the UUID's pattern.
    public mutating func check(_ text: String, against rule: StringRule, at field: String) {
        if let reason = Self.firstFailure(text, rule) { fail(field, reason) }
    }

    private static func firstFailure(_ text: String, _ rule: StringRule) -> String? {
        let length = text.unicodeScalars.count
        if let minLength = rule.minLength, length < minLength {
            return minLength == 1 ? "must not be empty" : "must be at least \(minLength) characters"
        }
        if let maxLength = rule.maxLength, length > maxLength {
            return "must be at most \(maxLength) characters"
        }
        if rule.format == "uuid", !isUUID(text) {
            return "must be a UUID"
        }
        if let pattern = rule.pattern, !pattern.matches(text) {
            return "must match \(pattern.source)"
        }
        if let allowed = rule.allowed, !allowed.contains(text) {
            return "must be one of \(allowed.joined(separator: ", "))"
        }
        return nil
    }

    /// Validates a number's constraints.
    public mutating func check(_ number: Double, against rule: NumberRule, at field: String) {
        if let minimum = rule.minimum, number < minimum { fail(field, "must be at least \(Self.format(minimum))") }
        if let maximum = rule.maximum, number > maximum { fail(field, "must be at most \(Self.format(maximum))") }
        if let bound = rule.exclusiveMinimum, number <= bound { fail(field, "must be greater than \(Self.format(bound))") }
        if let bound = rule.exclusiveMaximum, number >= bound { fail(field, "must be less than \(Self.format(bound))") }
        if let allowed = rule.allowed, !allowed.contains(number) {
            fail(field, "must be one of \(allowed.map(Self.format).joined(separator: ", "))")
        }
    }

    /// Records a failure.
    public mutating func fail(_ field: String, _ reason: String) {
        errors.append(.init(field: field, reason: reason))
    }

    private mutating func mismatch(_ field: String, _ expected: String, _ value: JSONValue) {
        fail(field, "must be \(expected == "integer" || expected == "array" || expected == "object" ? "an" : "a") \(expected), found \(value.kindName)")
    }

    private static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// Whether `text` has the 8-4-4-4-12 hexadecimal shape of a UUID.
    public static func isUUID(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 36 else { return false }
        for (index, byte) in utf8.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) else { return false }
            }
        }
        return true
    }
}
