import Foundation

/// What a generated `anyOf`/`oneOf` enum decodes first: the whole value, so that each variant
/// in the spec's order is tried by its rule (the same one the router checks with) before it is
/// decoded. A decoder's own attempt would take an object for any variant whose properties are
/// all optional.
public struct UnionValue: Sendable {
    /// The value as it came.
    public let value: JSONValue
    private let codingPath: [any CodingKey]

    /// Reads the value at `decoder`'s position.
    public init(from decoder: any Decoder) throws {
        value = try JSONValue(from: decoder)
        codingPath = decoder.codingPath
    }

    /// Whether the variant's `rule` accepts the value.
    public func accepts(_ rule: SchemaRule) -> Bool {
        SchemaValidator.accepts(value, rule)
    }

    /// The value decoded as the variant `type`.
    public func decode<Variant: Decodable>(_ type: Variant.Type) throws -> Variant {
        try JSONDecoder().decode(Variant.self, from: Data(value.jsonText.utf8))
    }

    /// The error when no variant accepts the value.
    public func noVariant(of union: String) -> DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "no variant of \(union) accepts the value"))
    }
}
