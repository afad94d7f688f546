import Testing
@testable import RouteGenCore

/// Spec names that are not Swift identifiers: one mangling (docs/openapi-subset.md, "Names"),
/// and two names that meet after it are an error at the second one's spot.
@Suite struct NameManglingTests {
    /// `GET path` with `idLine` (an `operationId: …` line, or none).
    static func operation(_ path: String, _ idLine: String?) -> String {
        """
          \(path):
            get:
        \(idLine.map { "      \($0)\n" } ?? "")      responses:
                '204':
                  description: Nothing.
        """
    }

    static func handler(_ paths: String...) throws -> String {
        SwiftCode.render(HandlerRenderer.render(try load(makeSpec(paths: paths.joined(separator: "\n")))))
    }

    @Test(arguments: [
        ("operationId: list-pets", "listPets", "ListPets"),
        ("operationId: List all pets", "listAllPets", "ListAllPets"),
        ("operationId: get_pet_by_ID", "getPetByID", "GetPetByID"),
        ("operationId: 2fa-check", "_2faCheck", "_2faCheck"),
        ("operationId: default", "`default`", "Default"),
    ])
    func operationIdsBecomeSwiftNames(idLine: String, member: String, type: String) throws {
        let swift = try Self.handler(Self.operation("/pets", idLine))
        #expect(swift.contains("func \(member)(_ input: Operations.\(type).Input) async throws -> Operations.\(type).Output"))
    }

    @Test func aMissingOperationIdIsDerivedFromTheMethodAndPath() throws {
        let paths = """
              /pets/{petId}/photos:
                get:
                  parameters:
                    - name: petId
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '204':
                      description: Nothing.
            """
        let document = try load(makeSpec(paths: paths))
        #expect(document.operations.map(\.id) == ["getPetsPetIdPhotos"])
        #expect(SwiftCode.render(HandlerRenderer.render(document)).contains("func getPetsPetIdPhotos(_ input: Operations.GetPetsPetIdPhotos.Input)"))
    }

    @Test func twoOperationIdsThatMeetInSwiftAreNumberedFromTheSecond() throws {
        let spec = makeSpec(paths: Self.operation("/a", "operationId: list-pets") + "\n" + Self.operation("/b", "operationId: listPets"))
        let handler = SwiftCode.render(HandlerRenderer.render(try load(spec)))
        #expect(handler.contains("func listPets(_ input: Operations.ListPets.Input) async throws -> Operations.ListPets.Output"))
        #expect(handler.contains("func listPets_2(_ input: Operations.ListPets_2.Input) async throws -> Operations.ListPets_2.Output"))
    }

    @Test func aDerivedOperationIdThatMeetsAWrittenOneIsAnError() {
        let spec = makeSpec(paths: Self.operation("/a", "operationId: getPetsAll") + "\n" + Self.operation("/pets/all", nil))
        #expect(onlyDiagnostic(of: spec)
            == "api.yaml:13:5: error: this operation has no operationId, and 'getPetsAll', derived from its method and path, is the operationId of GET /a at line 8; give it one")
    }

    @Test func anOperationIdWithoutLettersOrDigitsIsAnError() {
        #expect(onlyDiagnostic(of: makeSpec(paths: Self.operation("/a", "operationId: '--'")))
            == "api.yaml:8:20: error: operationId '--' has no letter or digit to make a Swift name of")
    }

    @Test func lowercaseAndKebabSchemaNamesBecomeTypeNamesAndTheLaterOfTwoThatMeetIsNumbered() throws {
        #expect(SwiftNames.type("pet") == "Pet")
        #expect(SwiftNames.type("pet-owner") == "PetOwner")
        #expect(SwiftNames.type("") == "_")
        let schemas = "    pet-owner:\n      type: object\n    PetOwner:\n      type: object\n"
        let document = try load(makeSpec(paths: Self.operation("/a", "operationId: a"), schemas: schemas))
        let names = GeneratedNames(document)
        #expect(names.schema("pet-owner") == "Components.Schemas.PetOwner")
        #expect(names.schema("PetOwner") == "Components.Schemas.PetOwner_2")
    }
}
