/// A schema of the supported subset, after `$ref`s to other schemas are checked.
public struct Schema: Sendable, Equatable {
    /// What a schema describes.
    public indirect enum Kind: Sendable, Equatable {
        /// A named schema: one in `components.schemas`, or an inline object the reader named
        /// after where it sits (`SpecReader.inlineName`).
        case reference(String)
        case object(ObjectShape)
        case array(items: Schema, minItems: Int?, maxItems: Int?)
        /// An object of any member names whose values are all `values` (`additionalProperties: {…}`
        /// without `properties`): a Swift dictionary.
        case map(values: Schema)
        case string(StringRules)
        case integer(NumberRules)
        case number(NumberRules)
        case boolean
        case oneOf(OneOf)
        /// Any JSON value: a schema RouteGen cannot type more precisely (no `type`, or keywords
        /// it does not model); a warning says so where the reader made it one.
        case any
    }

    public var kind: Kind
    /// Whether `null` is a value too (`nullable: true` in 3.0, `type: [T, "null"]` in 3.1 and later).
    public var isNullable = false
    public var description: String?
    public var defaultValue: JSON?
    public var location: SourceLocation

    public init(_ kind: Kind, description: String? = nil, defaultValue: JSON? = nil, at location: SourceLocation) {
        self.kind = kind
        self.description = description
        self.defaultValue = defaultValue
        self.location = location
    }

    /// The name this schema refers to, if it is a `$ref`.
    public var referenceName: String? {
        if case .reference(let name) = kind { name } else { nil }
    }
}

/// An object's properties, in document order.
public struct ObjectShape: Sendable, Equatable {
    /// One property and whether it must be present.
    public struct Property: Sendable, Equatable {
        public var name: String
        public var schema: Schema
        public var isRequired: Bool
    }

    public var properties: [Property]
    public var allowsAdditionalProperties: Bool
}

/// Constraints on a string.
public struct StringRules: Sendable, Equatable {
    public var minLength: Int?
    public var maxLength: Int?
    public var pattern: String?
    public var format: String?
    public var allowed: [String]?
    public var contentMediaType: String?
    /// `contentSchema`: what the string holds once decoded (SSE `data`).
    public var contentSchema: Schema?

    public init() {}
}

/// Constraints on an integer or a number.
public struct NumberRules: Sendable, Equatable {
    public var minimum: Double?
    public var maximum: Double?
    public var exclusiveMinimum: Double?
    public var exclusiveMaximum: Double?
    public var format: String?
    public var allowed: [Double]?

    public init() {}
}

/// A `oneOf` or `anyOf`: with a discriminator, each discriminator value names a variant schema;
/// without one, the variants are tried in order.
public struct OneOf: Sendable, Equatable {
    /// How many variants a value must match, and how the variant is found.
    public enum Matching: Sendable, Equatable {
        /// `oneOf` with a `discriminator`: its property's value picks the variant.
        case discriminator
        /// `oneOf` without one: exactly one variant must accept the value.
        case exactlyOne
        /// `anyOf`: at least one must; the first that does is the value's.
        case atLeastOne
    }

    /// One variant: the discriminator value, the variant schema's name, and (for the
    /// `{type, payload}` envelope) the one other property that carries the value.
    public struct Variant: Sendable, Equatable {
        public var tag: String
        /// The component (or named inline schema) the variant is; empty for a primitive or
        /// array variant of an undiscriminated union, which only `schema` describes.
        public var schemaName: String
        public var payloadProperty: String?
        /// For an undiscriminated union: the variant's schema (a `$ref`, a primitive, an array).
        public var schema: Schema?
        /// For an undiscriminated union: the Swift case the variant becomes.
        public var caseName: String = ""
    }

    /// The discriminator property; empty without a discriminator.
    public var propertyName: String
    public var variants: [Variant]
    public var matching: Matching = .discriminator
}
