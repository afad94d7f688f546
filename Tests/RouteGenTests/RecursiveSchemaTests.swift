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
        #expect(swift.contains("    public var files: [File]?\n"))
        #expect(swift.contains("""
                public var folder: Folder? {
                    get { _folder.value }
                    set { _folder = Indirect(newValue) }
                }
                private var _folder: Indirect<Folder?>
            """))
        #expect(swift.contains(#"PropertyRule("files", .array(.deferred { File.schemaRule }), required: false),"#))
        #expect(swift.contains(#"PropertyRule("folder", .deferred { Folder.schemaRule }, required: false),"#))
        #expect(swift.contains(#"PropertyRule("size", .integer(NumberRule()), required: false),"#))
    }

    @Test func aUnionInACycleIsIndirect() throws {
        let swift = try SnippetTests.rendered(Self.schemas)
        #expect(swift.contains("public indirect enum Entry: Codable, Hashable, Sendable {"))
        #expect(swift.contains(#"public static let schemaRule: SchemaRule = .oneOf(discriminator: "kind", variants: [("dir", .deferred { Dir.schemaRule }), ("leaf", Leaf.schemaRule)])"#))
        #expect(swift.contains(#"PropertyRule("entries", .map(.deferred { Entry.schemaRule }), required: true),"#))
    }
}
