import Testing
@testable import RouteGenCore

/// `anyOf`, and `oneOf` without a discriminator: enums whose decoding tries the variants in order.
@Suite struct UnionTests {
    static func schemas(_ keyword: String, _ variants: String) -> String {
        """
                Pet:
                  type: object
                  properties:
                    name:
                      type: string
                Tag:
                  type: object
                  properties:
                    label:
                      \(keyword):
        \(variants)
        """
    }

    @Test func anAnyOfIsAnEnumTriedInOrder() throws {
        let swift = try SnippetTests.rendered(Self.schemas("anyOf", "                    - $ref: '#/components/schemas/Pet'\n                    - type: string\n                    - type: array\n                      items:\n                        type: integer"))
        #expect(swift.contains("""
            public enum TagLabel: Swift.Codable, Swift.Hashable, Swift.Sendable {
                /// Variant 1 of the `anyOf`.
                case pet(Components.Schemas.Pet)
                /// Variant 2 of the `anyOf`.
                case string(Swift.String)
                /// Variant 3 of the `anyOf`.
                case array([Swift.Int])
            """))
        #expect(swift.contains("""
                    let union = try APIRuntime.UnionValue(from: decoder)
                    if union.accepts(Components.Schemas.Pet.schemaRule) {
                        self = .pet(try union.decode(Components.Schemas.Pet.self))
                    } else if union.accepts(.string(APIRuntime.StringRule())) {
            """))
        #expect(swift.contains("public static let schemaRule: APIRuntime.SchemaRule = .anyOf([Components.Schemas.Pet.schemaRule, .string(APIRuntime.StringRule()), .array(.integer(APIRuntime.NumberRule()))])"))
        #expect(swift.contains("    public var label: Components.Schemas.TagLabel?\n"))
    }

    @Test func aOneOfWithoutDiscriminatorNeedsExactlyOne() throws {
        let swift = try SnippetTests.rendered(Self.schemas("oneOf", "                    - type: integer\n                    - type: object\n                      properties:\n                        text:\n                          type: string"))
        #expect(swift.contains("case variant2(Components.Schemas.TagLabelVariant2)"))
        #expect(swift.contains("public struct TagLabelVariant2: Swift.Codable, Swift.Hashable, Swift.Sendable {"))
        #expect(swift.contains("public static let schemaRule: APIRuntime.SchemaRule = .exactlyOne([.integer(APIRuntime.NumberRule()), Components.Schemas.TagLabelVariant2.schemaRule])"))
    }

    @Test func aNullVariantMakesTheUnionNullableAndOneOtherIsThatVariant() throws {
        let swift = try SnippetTests.rendered(Self.schemas("anyOf", "                    - $ref: '#/components/schemas/Pet'\n                    - type: 'null'"))
        #expect(swift.contains("    public var label: Components.Schemas.Pet?\n"))
        #expect(swift.contains(#"APIRuntime.PropertyRule("label", .nullable(Components.Schemas.Pet.schemaRule), required: false),"#))
        #expect(!swift.contains("TagLabel"))
    }

    @Test func variantsThatMeetAsCasesAreNumbered() throws {
        let variants = [
            "- type: string", "- type: string\n  maxLength: 3", "- $ref: '#/components/schemas/Pet'", "- $ref: '#/components/schemas/pet'",
            "- $ref: '#/components/schemas/String_2'",
        ].map { $0.split(separator: "\n").map { "                    " + $0 }.joined(separator: "\n") }.joined(separator: "\n")
        let schemas = Self.schemas("anyOf", variants) + "\n        pet:\n          type: object\n        String_2:\n          type: string\n          minLength: 9"
        let yaml = makeSpec(paths: SnippetTests.pingPath, schemas: schemas)
        #expect(warningsOrErrors(of: yaml).isEmpty)
        guard case .oneOf(let union)? = try load(yaml).schema(named: "TagLabel")?.kind else {
            Issue.record("TagLabel is not a union")
            return
        }
        // `String_2` is the case `string2`, which a numbered `string` never is.
        #expect(union.variants.map(\.caseName) == ["string", "string_2", "pet", "pet_2", "string2"])
        let swift = try SnippetTests.rendered(schemas)
        #expect(swift.contains("    case string_2(Swift.String)\n"))
        #expect(swift.contains("    case pet_2(Components.Schemas.Pet_2)\n"))
        #expect(swift.contains("self = .pet_2(try union.decode(Components.Schemas.Pet_2.self))\n"))
    }

    @Test func aRejectedVariantIsOneErrorWithoutCascade() {
        let yaml = makeSpec(paths: SnippetTests.pingPath, schemas: Self.schemas("anyOf", "                    - type: strng\n                    - type: string"))
        #expect(onlyDiagnostic(of: yaml) == "api.yaml:29:29: error: unknown type 'strng' (object, array, string, integer, number, boolean, null)")
    }

    @Test func aUnionAsAParameterIsAStringWithAWarning() {
        let yaml = makeSpec(queryParameterSchema: "            anyOf:\n              - type: string\n              - type: integer")
        #expect(warningsOrErrors(of: yaml) == ["api.yaml:12:13: warning: a parameter or header schema that is an 'anyOf' is read as a string: the value is not parsed or checked"])
    }
}
