extension TypesRenderer {
    /// `anyOf`, or `oneOf` without a discriminator, as an enum with a case per variant. Decoding
    /// tries the variants in the spec's order and takes the first whose rule accepts the value
    /// (for `oneOf` the router has checked that exactly one does); encoding writes the value of
    /// the case as it is. Indirect when the enum is part of a cycle of schemas.
    static func untaggedUnion(_ typeName: String, _ oneOf: OneOf, _ description: String?, _ names: GeneratedNames, cycle: Set<String>) -> SwiftCode {
        let variants = oneOf.variants.compactMap { variant in
            variant.schema.map { (name: variant.caseName, type: SchemaSpelling.swiftType($0, names), rule: SchemaSpelling.rule($0, names, deferring: cycle)) }
        }
        let keyword = oneOf.matching == .atLeastOne ? "anyOf" : "oneOf"
        var members: [SwiftCode] = variants.enumerated().map { index, variant in
            .group([.doc("Variant \(index + 1) of the `\(keyword)`."), .line("case \(variant.name)(\(variant.type))")])
        }
        var attempts: [SwiftCode] = []
        for (index, variant) in variants.enumerated() {
            attempts.append(.line("\(index == 0 ? "" : "} else ")if union.accepts(\(variant.rule)) {"))
            attempts.append(.line("    self = .\(variant.name)(try union.decode(\(variant.type).self))"))
        }
        attempts += [
            .line("} else {"),
            .line("    throw union.noVariant(of: \(SwiftNames.literal(typeName)))"),
            .line("}"),
        ]
        members.append(.blank)
        members.append(.doc("The first variant, in the spec's order, whose rule accepts the value."))
        members.append(.block("public init(from decoder: any Swift.Decoder) throws", [
            .line("let union = try APIRuntime.UnionValue(from: decoder)"),
        ] + attempts))
        members.append(.blank)
        members.append(.doc("The value of the case, as that variant writes it."))
        members.append(.block("public func encode(to encoder: any Swift.Encoder) throws", [
            .switchBlock("self", variants.map { .line("case .\($0.name)(let value): try value.encode(to: encoder)") }),
        ]))
        return .group([
            .doc(description),
            .block("public \(cycle.isEmpty ? "" : "indirect ")enum \(typeName): Swift.Codable, Swift.Hashable, Swift.Sendable", members),
        ])
    }
}
