import Testing
@testable import RouteGenCore

/// `allOf` of object schemas: one object with every member's properties.
@Suite struct AllOfTests {
    static let schemas = """
            Named:
              type: object
              required: [name]
              properties:
                name:
                  type: string
            Pet:
              allOf:
                - $ref: '#/components/schemas/Named'
                - type: object
                  properties:
                    age:
                      type: integer
              required: [age]
              properties:
                owner:
                  allOf:
                    - $ref: '#/components/schemas/Named'
        """

    @Test func membersAreMergedAndRequiredWhereAnyMemberRequiresIt() throws {
        let document = try load(makeSpec(paths: SnippetTests.pingPath, schemas: Self.schemas))
        guard case .object(let pet)? = document.schema(named: "Pet")?.kind else { Issue.record("Pet is not an object"); return }
        #expect(pet.properties.map(\.name) == ["name", "age", "owner"])
        #expect(pet.properties.map(\.isRequired) == [true, true, false])
        let swift = renderedSchemas(document)
        #expect(swift.contains("public struct Pet: Swift.Codable, Swift.Hashable, Swift.Sendable {"))
        // A one-member allOf is that member: the `$ref`'s type, no struct of its own.
        #expect(swift.contains("    public var owner: Components.Schemas.Named?\n"))
        #expect(!swift.contains("PetOwner"))
    }

    @Test func aMemberThatIsNotAnObjectMakesAJSONValueWithAWarningAtIt() throws {
        let bad = Self.schemas.replacingOccurrences(of: "        - type: object\n          properties:\n            age:\n              type: integer", with: "        - type: string")
        #expect(bad != Self.schemas)
        #expect(warningsOrErrors(of: makeSpec(paths: SnippetTests.pingPath, schemas: bad))
            == ["api.yaml:28:11: warning: an allOf whose members are not all objects is generated as a JSON value (JSONValue): it is not typed or checked"])
        #expect(try load(makeSpec(paths: SnippetTests.pingPath, schemas: bad)).schemas.first { $0.name == "Pet" } == nil)
    }
}
