/// Renders `components.schemas` as `Codable`, `Sendable`, `Hashable` Swift types in
/// `Components.Schemas`, each with the `SchemaRule` that input is checked against.
///
/// The types are spelled out in full inside the namespace (`Swift.String`,
/// `Components.Schemas.Pet`), where a schema's name could hide a shorter spelling; the rules
/// are in extensions at the top level, where no schema's name is in scope.
enum TypesRenderer {
    static func render(_ document: APIDocument) -> [SwiftCode] {
        let names = GeneratedNames(document)
        let rendered = document.schemas.map { render(name: $0.name, schema: $0.schema, in: document, names: names) }
        return [
            .doc("The types of the spec's `components`."),
            .block("public enum Components", [
                .doc("`components.schemas`: one type per schema, named after it."),
                .block("public enum Schemas", rendered.map(\.type).separated()),
            ] + sharedResponses(document, names)),
            .blank,
        ] + rendered.map(\.rule).separated()
    }

    /// `components.responses` that operations name and that carry headers: each one's `Headers`
    /// once, which every operation's case for it carries.
    private static func sharedResponses(_ document: APIDocument, _ names: GeneratedNames) -> [SwiftCode] {
        let shared = document.sharedResponses
        guard !shared.isEmpty else { return [] }
        return [
            .blank,
            .doc("`components.responses` that operations share: the headers each is answered with."),
            .block("public enum Responses", shared.map { entry in
                .group([
                    .doc(entry.response.description),
                    .block("public enum \(names.responseType(entry.name))", [
                        OperationsRenderer.headersStruct(
                            entry.response, names, named: "Headers", doc: "The headers of `components.responses.\(entry.name)`."),
                    ]),
                ])
            }.separated()),
        ]
    }

    /// A schema's type, and the extension that gives it its rule.
    static func render(name: String, schema: Schema, in document: APIDocument, names: GeneratedNames) -> (type: SwiftCode, rule: SwiftCode) {
        let typeName = names.schemaType(name)
        let cycle = document.cycles[name] ?? []
        let rule = SwiftCode.block("extension \(names.schema(name))", [
            .doc("The constraints of `\(name)` in the spec."),
            SchemaSpelling.ruleDeclaration("public static let schemaRule", schema, names, deferring: cycle),
        ])
        switch schema.kind {
        case .object(let shape):
            return (structure(typeName, shape, schema.description, names, cycle: cycle), rule)
        case .oneOf(let oneOf) where oneOf.matching != .discriminator:
            return (untaggedUnion(typeName, oneOf, schema.description, names, cycle: cycle), rule)
        case .oneOf(let oneOf):
            return (union(typeName, oneOf, schema.description, in: document, names, isIndirect: !cycle.isEmpty), rule)
        case .string(let rules) where (rules.allowed?.count ?? 0) >= 2:
            return (enumeration(typeName, rules.allowed ?? [], schema.description), rule)
        default:
            return (.group([
                .doc(schema.description),
                .line("public typealias \(typeName) = \(SchemaSpelling.swiftType(schema, names))"),
            ]), rule)
        }
    }

    /// An object as a struct. A property that refers to a schema of the struct's own `cycle`
    /// (not through an array or a map, which break it already) is kept in an `Indirect` box
    /// behind a computed property, so the struct does not contain itself; the struct then
    /// spells out its `Codable`.
    private static func structure(_ typeName: String, _ shape: ObjectShape, _ description: String?, _ names: GeneratedNames, cycle: Set<String> = []) -> SwiftCode {
        // Two properties that meet in Swift (`created_at`, `createdAt`) are numbered like types.
        let memberNames = GeneratedNames.unique(shape.properties.map(\.name), spelling: SwiftNames.member)
        let properties = shape.properties.map { property in
            (json: property.name, swift: memberNames[property.name] ?? SwiftNames.member(property.name),
             type: SchemaSpelling.optional(SchemaSpelling.swiftType(property.schema, names), unless: property.isRequired),
             doc: property.schema.description, isRequired: property.isRequired,
             writesNull: property.isRequired && property.schema.isNullable,
             isBoxed: property.schema.referenceName.map(cycle.contains) ?? false)
        }
        let storage = { (swift: String) in "_" + swift.filter { $0 != "`" } }
        var members: [SwiftCode] = properties.map {
            guard $0.isBoxed else { return .group([.doc($0.doc), .line("public var \($0.swift): \($0.type)")]) }
            return .group([
                .doc($0.doc),
                .block("public var \($0.swift): \($0.type)", [
                    .line("get { \(storage($0.swift)).value }"),
                    .line("set { \(storage($0.swift)) = APIRuntime.Indirect(newValue) }"),
                ]),
                .line("private var \(storage($0.swift)): APIRuntime.Indirect<\($0.type)>"),
            ])
        }
        let parameters = properties.map { "\($0.swift): \($0.type)\($0.isRequired ? "" : " = nil")" }
        if !members.isEmpty { members.append(.blank) }
        members.append(.doc("Creates a value from its fields."))
        members.append(.block(
            "public init(\(parameters.joined(separator: ", ")))",
            properties.map {
                $0.isBoxed
                    ? .line("self.\(storage($0.swift)) = APIRuntime.Indirect(\($0.swift))")
                    : .line("self.\($0.swift.filter { $0 != "`" }) = \($0.swift)")
            }))
        let isBoxing = properties.contains(where: \.isBoxed)
        if isBoxing {
            members.append(.blank)
            members.append(.doc("Reads every field (the boxed ones through their computed properties)."))
            members.append(.block("public init(from decoder: any Swift.Decoder) throws", [
                .line("let container = try decoder.container(keyedBy: CodingKeys.self)"),
                .line("self.init(" + properties.map {
                    let key = $0.swift.filter { $0 != "`" }
                    let type = $0.type.hasSuffix("?") ? String($0.type.dropLast()) : $0.type
                    return "\(key): try container.\($0.type.hasSuffix("?") ? "decodeIfPresent" : "decode")(\(type).self, forKey: .\(key))"
                }.joined(separator: ", ") + ")"),
            ]))
        }
        if isBoxing || properties.contains(where: \.writesNull) {
            // A required property that may be null is written as `null`, where the synthesized
            // encoder would leave a nil out.
            members.append(.blank)
            members.append(.doc(properties.contains(where: \.writesNull) ? "Writes every field; a required one that is nil as `null`." : "Writes every field (the boxed ones through their computed properties)."))
            members.append(.block("public func encode(to encoder: any Swift.Encoder) throws", [
                .line("var container = encoder.container(keyedBy: CodingKeys.self)"),
            ] + properties.map {
                let key = $0.swift.filter { $0 != "`" }
                return .line(($0.isRequired ? "try container.encode" : "try container.encodeIfPresent") + "(\(key), forKey: .\(key))")
            }))
        }
        if isBoxing || properties.contains(where: { $0.swift != $0.json }) {
            members.append(.blank)
            members.append(.block("private enum CodingKeys: Swift.String, Swift.CodingKey", properties.map {
                .line($0.swift == $0.json ? "case \($0.swift)" : "case \($0.swift) = \(SwiftNames.literal($0.json))")
            }))
        }
        return .group([
            .doc(description),
            .block("public struct \(typeName): Swift.Codable, Swift.Hashable, Swift.Sendable", members),
        ])
    }

    /// A string enum as a Swift enum whose raw values are the spec's; of two values that meet
    /// in Swift (`on-hold`, `onHold`) the later case is numbered.
    private static func enumeration(_ typeName: String, _ values: [String], _ description: String?) -> SwiftCode {
        let caseNames = GeneratedNames.unique(values, spelling: SwiftNames.member)
        return .group([
            .doc(description),
            .block("public enum \(typeName): Swift.String, Swift.Codable, Swift.Hashable, Swift.Sendable, Swift.CaseIterable", values.map { value in
                let name = caseNames[value] ?? SwiftNames.member(value)
                return .line(name.filter { $0 != "`" } == value ? "case \(name)" : "case \(name) = \(SwiftNames.literal(value))")
            }),
        ])
    }

    /// A discriminated `oneOf` as an enum; envelope variants carry their payload directly.
    private static func union(_ typeName: String, _ oneOf: OneOf, _ description: String?, in document: APIDocument, _ names: GeneratedNames, isIndirect: Bool) -> SwiftCode {
        // Of two tags that meet in Swift, the later case is numbered.
        let caseNames = GeneratedNames.unique(oneOf.variants.map(\.tag), spelling: SwiftNames.member)
        let variants = oneOf.variants.map { variant in
            (tag: variant.tag, name: caseNames[variant.tag] ?? SwiftNames.member(variant.tag), payload: variant.payloadProperty,
             type: names.schema(variant.schemaName),
             payloadType: payloadType(of: variant, in: document, names))
        }
        let keys = Set([oneOf.propertyName] + variants.compactMap(\.payload)).sorted()
        let key = { (name: String) in "." + SwiftNames.member(name) }
        var members: [SwiftCode] = variants.map { variant in
            .group([
                .doc("`\(oneOf.propertyName): \(variant.tag)`"),
                .line("case \(variant.name)(\(variant.payload == nil ? variant.type : variant.payloadType))"),
            ])
        }
        members.append(.blank)
        members.append(.block("private enum CodingKeys: Swift.String, Swift.CodingKey", keys.map {
            .line(SwiftNames.member($0) == $0 ? "case \($0)" : "case \(SwiftNames.member($0)) = \(SwiftNames.literal($0))")
        }))
        let decodeCases: [SwiftCode] = variants.map { variant in
            .group([
                .line("case \(SwiftNames.literal(variant.tag)):"),
                .line(variant.payload.map {
                    "    self = .\(variant.name)(try container.decode(\(variant.payloadType).self, forKey: \(key($0))))"
                } ?? "    self = .\(variant.name)(try \(variant.type)(from: decoder))"),
            ])
        }
        members.append(.blank)
        members.append(.block("public init(from decoder: any Swift.Decoder) throws", [
            .line("let container = try decoder.container(keyedBy: CodingKeys.self)"),
            .line("let tag = try container.decode(Swift.String.self, forKey: \(key(oneOf.propertyName)))"),
            .switchBlock("tag", decodeCases + [
                .line("default:"),
                .line("    throw Swift.DecodingError.dataCorruptedError("),
                .line("        forKey: \(key(oneOf.propertyName)), in: container, debugDescription: \"unknown \(oneOf.propertyName) '\\(tag)'\")"),
            ]),
        ]))
        let encodeCases: [SwiftCode] = variants.map { variant in
            .group([
                .line("case .\(variant.name)(let value):"),
                .line(variant.payload.map { _ in
                    "    try container.encode(\(SwiftNames.literal(variant.tag)), forKey: \(key(oneOf.propertyName)))"
                } ?? "    try value.encode(to: encoder)"),
            ] + (variant.payload.map { [.line("    try container.encode(value, forKey: \(key($0)))")] } ?? []))
        }
        members.append(.blank)
        let usesContainer = variants.contains { $0.payload != nil }
        members.append(.block("public func encode(to encoder: any Swift.Encoder) throws", [
            usesContainer ? .line("var container = encoder.container(keyedBy: CodingKeys.self)") : .group([]),
            .switchBlock("self", encodeCases),
        ]))
        return .group([
            .doc(description),
            .block("public \(isIndirect ? "indirect " : "")enum \(typeName): Swift.Codable, Swift.Hashable, Swift.Sendable", members),
        ])
    }

    /// The Swift type of an envelope variant's one other property.
    private static func payloadType(of variant: OneOf.Variant, in document: APIDocument, _ names: GeneratedNames) -> String {
        guard let payload = variant.payloadProperty, case .object(let shape)? = document.schema(named: variant.schemaName)?.kind,
            let property = shape.properties.first(where: { $0.name == payload })
        else { return names.schema(variant.schemaName) }
        return SchemaSpelling.swiftType(property.schema, names)
    }
}
