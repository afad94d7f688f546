import Testing
@testable import RouteGenCore

/// A string of several allowed values is a Swift enum, named like an inline object (or by its
/// component); one value (`const`) stays a string.
@Suite struct EnumTests {
    static let schemas = """
            Pet:
              type: object
              properties:
                status:
                  type: string
                  enum: [available, on-hold, sold]
                kind:
                  $ref: '#/components/schemas/pet-kind'
                species:
                  type: string
                  const: dog
            pet-kind:
              type: string
              enum: [cat, dog]
        """

    @Test func stringEnumsAreSwiftEnumsWithTheSpecsRawValues() throws {
        let swift = try SnippetTests.rendered(Self.schemas)
        #expect(swift.contains("""
            public enum PetStatus: Swift.String, Swift.Codable, Swift.Hashable, Swift.Sendable, Swift.CaseIterable {
                case available
                case onHold = "on-hold"
                case sold
            }
            """))
        #expect(swift.contains("public enum PetKind: Swift.String, Swift.Codable, Swift.Hashable, Swift.Sendable, Swift.CaseIterable {"))
        #expect(swift.contains("    public var status: Components.Schemas.PetStatus?\n"))
        #expect(swift.contains("    public var kind: Components.Schemas.PetKind?\n"))
        #expect(swift.contains("    public var species: Swift.String?\n"))
        #expect(swift.contains(#"public static let schemaRule: APIRuntime.SchemaRule = .string(APIRuntime.StringRule(allowed: ["available", "on-hold", "sold"]))"#))
        #expect(swift.contains(#"APIRuntime.PropertyRule("status", Components.Schemas.PetStatus.schemaRule, required: false),"#))
    }

    @Test func valuesThatMeetInSwiftAreNumberedCases() throws {
        let clash = Self.schemas.replacingOccurrences(of: "[available, on-hold, sold]", with: "[on-hold, onHold, self]")
        let swift = try SnippetTests.rendered(clash)
        #expect(swift.contains("""
            public enum PetStatus: Swift.String, Swift.Codable, Swift.Hashable, Swift.Sendable, Swift.CaseIterable {
                case onHold = "on-hold"
                case onHold_2 = "onHold"
                case _self = "self"
            }
            """))
    }
}
