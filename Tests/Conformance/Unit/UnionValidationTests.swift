@testable import ConformanceKit
import RouteGenCore
import Testing

/// Unions without a discriminator, as the judge reads them: `oneOf` needs exactly one variant
/// to accept a value, `anyOf` at least one.
@Suite struct UnionValidationTests {
    static let spec = """
        openapi: 3.1.0
        info: {title: Unions, version: '1'}
        paths: {}
        components:
          schemas:
            Cat:
              type: object
              required: [meows]
              additionalProperties: true
              properties:
                meows: {type: boolean}
            Dog:
              type: object
              required: [barks]
              additionalProperties: true
              properties:
                barks: {type: boolean}
            Exclusive:
              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/Dog'
            Either:
              anyOf:
                - $ref: '#/components/schemas/Cat'
                - type: string
        """

    func violations(_ json: String, _ name: String) throws -> [String] {
        let validator = SchemaValidator(document: try SpecLoader.load(text: Self.spec, file: "unions.yaml"))
        let schema = try #require(validator.schema(named: name))
        return validator.validate(try JSONParser.parse(json), against: schema).map(\.description)
    }

    @Test func oneOfNeedsExactlyOneVariant() throws {
        #expect(try violations(#"{"meows":true}"#, "Exclusive").isEmpty)
        #expect(try violations(#"{"barks":false}"#, "Exclusive").isEmpty)
        let both = try violations(#"{"meows":true,"barks":true}"#, "Exclusive")
        #expect(both.first?.contains("exactly one") == true, "\(both)")
        #expect(try violations(#"{"purrs":true}"#, "Exclusive").first?.contains("none of the variants") == true)
    }

    @Test func anyOfNeedsOneAtLeast() throws {
        #expect(try violations(#"{"meows":true}"#, "Either").isEmpty)
        #expect(try violations(#""a string""#, "Either").isEmpty)
        #expect(try violations("42", "Either").first?.contains("none of the variants") == true)
    }
}
