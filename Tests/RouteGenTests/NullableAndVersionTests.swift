import Testing
@testable import RouteGenCore

/// OpenAPI 3.0, 3.1 and 3.2 input, and null: `nullable: true` (3.0), `type: [T, "null"]` (3.1+).
@Suite struct NullableAndVersionTests {
    static func spec(version: String = "3.2.0", _ properties: String) -> String {
        makeSpec(paths: SnippetTests.pingPath, schemas: "    Pet:\n      type: object\n      required: [name]\n      properties:\n" + properties)
            .replacingOccurrences(of: "openapi: 3.2.0", with: "openapi: \(version)")
    }

    static let nullableName = "        name:\n          type: [string, 'null']\n        tag:\n          type: [integer, 'null']\n"

    @Test func aTypeListWithNullIsAnOptionalCheckedByANullableRule() throws {
        let swift = renderedSchemas(try load(Self.spec(Self.nullableName)))
        #expect(swift.contains("    public var name: Swift.String?\n"))
        #expect(swift.contains("    public var tag: Swift.Int?\n"))
        #expect(swift.contains(#"APIRuntime.PropertyRule("name", .nullable(.string(APIRuntime.StringRule())), required: true),"#))
    }

    @Test func aRequiredNullablePropertyIsWrittenAsNull() throws {
        let swift = renderedSchemas(try load(Self.spec(Self.nullableName)))
        #expect(swift.contains("""
                public func encode(to encoder: any Swift.Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(name, forKey: .name)
                    try container.encodeIfPresent(tag, forKey: .tag)
                }
            """))
    }

    @Test(arguments: ["3.0.3", "3.0", "3.1.0", "3.2.0"])
    func versionsThreeZeroToThreeTwoAreRead(version: String) {
        let properties = version.hasPrefix("3.0") ? "        name:\n          type: string\n          nullable: true\n" : Self.nullableName
        #expect(diagnostics(of: Self.spec(version: version, properties)).isEmpty)
    }

    @Test func nullableInThreeOneOrLaterIsReadWithAWarning() {
        #expect(warningsOrErrors(of: Self.spec("        name:\n          type: string\n          nullable: true\n"))
            == [#"api.yaml:25:21: warning: 'nullable' is OpenAPI 3.0; read as 'type: [T, "null"]', which is what 3.1 and later write"#])
    }

    @Test func threeZeroBooleanExclusiveBoundsBecomeNumbers() throws {
        let properties = "        name:\n          type: string\n        age:\n          type: integer\n          minimum: 0\n          exclusiveMinimum: true\n"
        let swift = renderedSchemas(try load(Self.spec(version: "3.0.3", properties)))
        #expect(swift.contains(#"APIRuntime.PropertyRule("age", .integer(APIRuntime.NumberRule(exclusiveMinimum: 0)), required: false),"#))
    }

    @Test func otherVersionsAreErrorsAndSeveralTypesAJSONValue() {
        #expect(onlyDiagnostic(of: Self.spec(version: "2.0", "        name:\n          type: string\n"))
            == "api.yaml:1:10: error: openapi '2.0' is not supported; RouteGen reads OpenAPI 3.0, 3.1 and 3.2")
        #expect(warningsOrErrors(of: Self.spec("        name:\n          type: [string, integer]\n"))
            == ["api.yaml:24:17: warning: a schema of several types (string, integer) is generated as a JSON value (JSONValue): its type is not checked"])
    }
}
