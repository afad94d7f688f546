import Testing
@testable import RouteGenCore

/// Schemas that reach themselves: the generated Swift holds them with indirection, and their
/// rules read the cycle's rules only when a value is checked. (`RuntimeFixtureTests` compiles a
/// tree with every kind of self-reference and drives it.)
@Suite struct RecursiveSchemaTests {
    static let schemas = """
            Folder:
              type: object
              properties:
                files:
                  type: array
                  items:
                    $ref: '#/components/schemas/File'
            File:
              type: object
              properties:
                folder:
                  $ref: '#/components/schemas/Folder'
                size:
                  type: integer
            Entry:
              oneOf:
                - $ref: '#/components/schemas/Dir'
                - $ref: '#/components/schemas/Leaf'
              discriminator:
                propertyName: kind
            Dir:
              type: object
              required: [kind, entries]
              properties:
                kind:
                  const: dir
                  type: string
                entries:
                  type: object
                  additionalProperties:
                    $ref: '#/components/schemas/Entry'
            Leaf:
              type: object
              required: [kind]
              properties:
                kind:
                  const: leaf
                  type: string
        """

    @Test func cyclesAreFoundThroughEveryKindOfReference() throws {
        let document = try load(makeSpec(paths: SnippetTests.pingPath, schemas: Self.schemas))
        #expect(document.cycles["Folder"] == ["Folder", "File"])
        #expect(document.cycles["Entry"] == ["Entry", "Dir"])
        #expect(document.cycles["Leaf"] == nil)
    }

    @Test func aDirectReferenceIsBoxedAndAnArrayIsNot() throws {
        let swift = try SnippetTests.rendered(Self.schemas)
        #expect(swift.contains("    public var files: [Components.Schemas.File]?\n"))
        #expect(swift.contains("""
                public var folder: Components.Schemas.Folder? {
                    get { _folder.value }
                    set { _folder = APIRuntime.Indirect(newValue) }
                }
                private var _folder: APIRuntime.Indirect<Components.Schemas.Folder?>
            """))
        #expect(swift.contains(#"APIRuntime.PropertyRule("files", .array(.deferred { Components.Schemas.File.schemaRule }), required: false),"#))
        #expect(swift.contains(#"APIRuntime.PropertyRule("folder", .deferred { Components.Schemas.Folder.schemaRule }, required: false),"#))
        #expect(swift.contains(#"APIRuntime.PropertyRule("size", .integer(APIRuntime.NumberRule()), required: false),"#))
    }

    @Test func aUnionInACycleIsIndirect() throws {
        let swift = try SnippetTests.rendered(Self.schemas)
        #expect(swift.contains("public indirect enum Entry: Swift.Codable, Swift.Hashable, Swift.Sendable {"))
        #expect(swift.contains(#"public static let schemaRule: APIRuntime.SchemaRule = .oneOf(discriminator: "kind", variants: [("dir", .deferred { Components.Schemas.Dir.schemaRule }), ("leaf", Components.Schemas.Leaf.schemaRule)])"#))
        #expect(swift.contains(#"APIRuntime.PropertyRule("entries", .map(.deferred { Components.Schemas.Entry.schemaRule }), required: true),"#))
    }
}
