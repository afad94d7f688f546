/// The constraints of a schema, as generated code states them, for checking input before a
/// handler runs. Every failing field is reported, not just the first.
public indirect enum SchemaRule: Sendable {
    case string(StringRule)
    case integer(NumberRule)
    case number(NumberRule)
    case boolean
    case array(SchemaRule, minItems: Int? = nil, maxItems: Int? = nil)
    case object([PropertyRule], additionalProperties: Bool = false)
    /// `null`, or a value the rule accepts.
    case nullable(SchemaRule)
    /// An object of any member names, every value checked against the rule (a dictionary).
    case map(SchemaRule)
    /// A discriminated union: the value of `discriminator` picks the variant's rule.
    case oneOf(discriminator: String, variants: [(tag: String, rule: SchemaRule)])
    /// `oneOf` without a discriminator: exactly one of the rules must accept the value.
    case exactlyOne([SchemaRule])
    /// `anyOf`: at least one of the rules must accept the value.
    case anyOf([SchemaRule])
    /// A rule read only when a value is checked: a reference within a recursive schema
    /// (`.deferred { Node.schemaRule }`), so that making the rule does not need itself.
    case deferred(@Sendable () -> SchemaRule)
    /// A file: a part of a multipart body (`format: binary`), as `MultipartFile` reads it.
    case file
    /// Any JSON value: a schema the generator could not type more precisely.
    case any
}

/// One property of an object rule.
public struct PropertyRule: Sendable {
    public var name: String
    public var rule: SchemaRule
    public var isRequired: Bool

    public init(_ name: String, _ rule: SchemaRule, required: Bool) {
        self.name = name
        self.rule = rule
        self.isRequired = required
    }
}

/// Constraints on a string. Lengths count Unicode scalars, as JSON Schema does.
public struct StringRule: Sendable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: Pattern?
    public var format: String?
    public var allowed: [String]?

    public init(minLength: Int? = nil, maxLength: Int? = nil, pattern: Pattern? = nil, format: String? = nil, allowed: [String]? = nil) {
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.format = format
        self.allowed = allowed
    }
}

/// Constraints on an integer or a number.
public struct NumberRule: Sendable {
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum: Double?
    public var exclusiveMaximum: Double?
    public var allowed: [Double]?

    public init(
        minimum: Double? = nil, maximum: Double? = nil, exclusiveMinimum: Double? = nil,
        exclusiveMaximum: Double? = nil, allowed: [Double]? = nil
    ) {
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.exclusiveMaximum = exclusiveMaximum
        self.allowed = allowed
    }
}

extension SchemaRule {
    /// The rule without a `.nullable` around it.
    var withoutNull: SchemaRule {
        if case .nullable(let rule) = self { rule } else { self }
    }
}
