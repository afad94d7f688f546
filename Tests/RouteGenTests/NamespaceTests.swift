import Foundation
import Testing
@testable import RouteGenCore

/// Schema types live in `Components.Schemas`, operations in `Operations`, and the generated code
/// spells out what it takes from Swift and the runtime, so spec names cannot collide with either;
/// names that would still meet are told apart, the same way every time (`GeneratedNames`).
@Suite struct NamespaceTests {
    static let spec = makeSpec(
        paths: """
              /error:
                get:
                  operationId: error
                  responses:
                    '200':
                      description: The error.
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Error'
            """,
        schemas: """
                Error:
                  type: object
                  required: [type]
                  properties:
                    type:
                      $ref: '#/components/schemas/Type'
                Type:
                  type: object
                  properties:
                    self:
                      type: string
                type:
                  type: object

            """)

    @Test func schemasAreTypesInComponentsSchemasWithTheirRulesInExtensions() throws {
        let swift = SwiftCode.render(TypesRenderer.render(try load(Self.spec)))
        #expect(swift == """
            /// The types of the spec's `components`.
            public enum Components {
                /// `components.schemas`: one type per schema, named after it.
                public enum Schemas {
                    public struct Error: Swift.Codable, Swift.Hashable, Swift.Sendable {
                        public var type: Components.Schemas._Type

                        /// Creates a value from its fields.
                        public init(type: Components.Schemas._Type) {
                            self.type = type
                        }
                    }

                    public struct _Type: Swift.Codable, Swift.Hashable, Swift.Sendable {
                        public var _self: Swift.String?

                        /// Creates a value from its fields.
                        public init(_self: Swift.String? = nil) {
                            self._self = _self
                        }

                        private enum CodingKeys: Swift.String, Swift.CodingKey {
                            case _self = "self"
                        }
                    }

                    public struct _Type_2: Swift.Codable, Swift.Hashable, Swift.Sendable {
                        /// Creates a value from its fields.
                        public init() {
                        }
                    }
                }
            }

            extension Components.Schemas.Error {
                /// The constraints of `Error` in the spec.
                public static let schemaRule: APIRuntime.SchemaRule = .object([
                    APIRuntime.PropertyRule("type", Components.Schemas._Type.schemaRule, required: true),
                ], additionalProperties: false)
            }

            extension Components.Schemas._Type {
                /// The constraints of `Type` in the spec.
                public static let schemaRule: APIRuntime.SchemaRule = .object([
                    APIRuntime.PropertyRule("self", .string(APIRuntime.StringRule()), required: false),
                ], additionalProperties: false)
            }

            extension Components.Schemas._Type_2 {
                /// The constraints of `type` in the spec.
                public static let schemaRule: APIRuntime.SchemaRule = .object([], additionalProperties: false)
            }

            """)
    }

    @Test func anOperationMayHaveASchemasNameAndRefersToItInFull() throws {
        let document = try load(Self.spec)
        let operations = SwiftCode.render(OperationsRenderer.render(document))
        #expect(operations.contains("    public enum Error {\n"))
        #expect(operations.contains("        case ok(Components.Schemas.Error)\n"))
        #expect(operations.contains("public func response(_ options: APIRuntime.RouterOptions) -> APIRuntime.HTTPResponse {"))
        #expect(SwiftCode.render(HandlerRenderer.render(document))
            .contains("func error(_ input: Operations.Error.Input) async throws -> Operations.Error.Output"))
    }

    @Test func namesSwiftOrTheGeneratedCodeReadsSpeciallyGetALeadingUnderscore() {
        #expect(GeneratedNames.typeName("Type") == "_Type")
        #expect(GeneratedNames.typeName("self") == "_Self")
        #expect(GeneratedNames.typeName("any") == "_Any")
        #expect(GeneratedNames.typeName("swift") == "_Swift")
        #expect(GeneratedNames.typeName("Components") == "_Components")
        #expect(GeneratedNames.typeName("Error") == "Error")
        #expect(GeneratedNames.typeName("String") == "String")
        #expect(GeneratedNames.typeName("Schemas") == "Schemas")
        #expect(SwiftNames.member("self") == "_self")
        #expect(SwiftNames.member("init") == "_init")
        #expect(SwiftNames.member("protocol") == "`protocol`")
    }

    @Test func theLaterOfNamesThatMeetIsNumberedAndANumberedNameIsNeverASpecNamesOwn() {
        let unique = GeneratedNames.unique(["my-type", "my_type", "MyType2", "myType", "MyType_2"], spelling: GeneratedNames.typeName)
        #expect(unique == ["my-type": "MyType", "my_type": "MyType_2", "MyType2": "MyType2", "myType": "MyType_3", "MyType_2": "MyType2_2"])
    }

    /// 20,000 names that all mangle to `Pet`: a search for a free number from 2 each time would
    /// take 200 million steps; numbering on from the last one takes 20,000.
    @Test func numberingIsLinearInTheNumberOfNames() {
        let separators: [Character] = ["-", "_", "."]
        let names = (0..<20_000).map { index in
            "pet" + String((0..<10).map { digit in separators[(index / Int(pow(3, Double(digit)))) % 3] })
        }
        #expect(Set(names).count == names.count)
        let clock = ContinuousClock()
        var unique: [String: String] = [:]
        let elapsed = clock.measure { unique = GeneratedNames.unique(names, spelling: GeneratedNames.typeName) }
        #expect(Set(unique.values).count == names.count)
        #expect(unique[names[0]] == "Pet")
        #expect(unique[names[names.count - 1]] == "Pet_20000")
        #expect(elapsed < .seconds(2), "took \(elapsed)")
    }
}

extension NamespaceTests {
    @Test func propertiesThatMeetInSwiftAreNumberedAndKeepTheirJSONNames() throws {
        let swift = try SnippetTests.rendered("""
                Event:
                  type: object
                  properties:
                    created_at:
                      type: string
                    createdAt:
                      type: integer

            """)
        #expect(swift.contains("    public var createdAt: Swift.String?\n    public var createdAt_2: Swift.Int?\n"))
        #expect(swift.contains("""
                private enum CodingKeys: Swift.String, Swift.CodingKey {
                    case createdAt = "created_at"
                    case createdAt_2 = "createdAt"
                }
            """))
    }
}

extension NamespaceTests {
    @Test func discriminatorValuesThatMeetInSwiftAreNumberedCases() throws {
        let variant = { (name: String, tag: String) in
            """
                \(name):
                  type: object
                  required: [kind]
                  properties:
                    kind:
                      type: string
                      const: \(tag)

            """
        }
        let swift = try SnippetTests.rendered("""
                Event:
                  oneOf:
                    - $ref: '#/components/schemas/Held'
                    - $ref: '#/components/schemas/HeldToo'
                  discriminator:
                    propertyName: kind

            """ + variant("Held", "on-hold") + variant("HeldToo", "onHold"))
        #expect(swift.contains("    case onHold(Components.Schemas.Held)\n"))
        #expect(swift.contains("    case onHold_2(Components.Schemas.HeldToo)\n"))
        #expect(swift.contains("        case \"onHold\":\n            self = .onHold_2(try Components.Schemas.HeldToo(from: decoder))\n"))
    }
}
