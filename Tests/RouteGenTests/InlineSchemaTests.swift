import Testing
@testable import RouteGenCore

/// Inline object schemas anywhere, named after where they sit; JSON bodies of any schema; maps.
@Suite struct InlineSchemaTests {
    /// `POST /pets` (`createPet`) whose body and 201 response schemas are `body` and
    /// `response`, written without indentation.
    static func petPath(body: String, response: String) -> String {
        func indented(_ text: String, _ depth: Int) -> String {
            text.split(separator: "\n").map { String(repeating: " ", count: depth) + $0 }.joined(separator: "\n")
        }
        return """
          /pets:
            post:
              operationId: createPet
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
        \(indented(body, 14))
              responses:
                '201':
                  description: Created.
                  content:
                    application/json:
                      schema:
        \(indented(response, 16))
        """
    }

    static let inlineObject = """
        type: object
        required: [name]
        properties:
          name:
            type: string
          owner:
            properties:
              email:
                type: string
          tags:
            type: array
            items:
              type: object
              properties:
                label:
                  type: string
        """

    static func types(_ document: APIDocument) -> [String] { document.schemas.map(\.name) }

    @Test func inlineObjectsAreNamedAfterWhereTheySit() throws {
        let document = try load(makeSpec(paths: Self.petPath(body: Self.inlineObject, response: "type: string")))
        #expect(Self.types(document) == ["CreatePetRequestOwner", "CreatePetRequestTagsItem", "CreatePetRequest"])
        let body = try #require(document.operations.first?.requestBody)
        #expect(SchemaSpelling.swiftType(body.schema, GeneratedNames(document)) == "Components.Schemas.CreatePetRequest")
        let swift = renderedSchemas(document)
        #expect(swift.contains("public struct CreatePetRequest: Swift.Codable, Swift.Hashable, Swift.Sendable {"))
        #expect(swift.contains("    public var owner: Components.Schemas.CreatePetRequestOwner?\n"))
        #expect(swift.contains("    public var tags: [Components.Schemas.CreatePetRequestTagsItem]?\n"))
        // The router checks the nested object through the named type's rule.
        #expect(swift.contains("APIRuntime.PropertyRule(\"owner\", Components.Schemas.CreatePetRequestOwner.schemaRule, required: false),"))
        #expect(swift.contains("APIRuntime.PropertyRule(\"tags\", .array(Components.Schemas.CreatePetRequestTagsItem.schemaRule), required: false),"))
    }

    @Test func inlinePropertiesOfANamedSchemaStartWithItsName() throws {
        let schemas = """
                pet:
                  type: object
                  properties:
                    address:
                      type: object
                      properties:
                        city:
                          type: string
            """
        let document = try load(makeSpec(paths: Self.petPath(body: "$ref: '#/components/schemas/pet'", response: "type: string"), schemas: schemas))
        #expect(Self.types(document) == ["pet", "PetAddress"])
        #expect(renderedSchemas(document).contains("public struct Pet: Swift.Codable"))
    }

    @Test func aJSONBodyAndResponseMayBeAPrimitiveAnArrayOrAMap() throws {
        let map = """
            type: object
            additionalProperties:
              type: integer
              minimum: 0
            """
        let document = try load(makeSpec(paths: Self.petPath(body: "type: array\nitems:\n  type: string", response: map)))
        let operation = try #require(document.operations.first)
        #expect(OperationsRenderer.bodyType(try #require(operation.requestBody), GeneratedNames(document)) == "[Swift.String]")
        #expect(OperationsRenderer.payloadType(operation.responses[0], GeneratedNames(document)) == "[Swift.String: Swift.Int]")
        let rules = SwiftCode.render(RouterRenderer.render(document))
        #expect(rules.contains("static let body: APIRuntime.SchemaRule = .array(.string(APIRuntime.StringRule()))"))
        guard case .json(_, let schema)? = operation.responses[0].content else { Issue.record("not JSON"); return }
        #expect(SchemaSpelling.rule(schema, GeneratedNames(document)) == ".map(.integer(APIRuntime.NumberRule(minimum: 0)))")
        #expect(Self.types(document).isEmpty)
    }

    @Test func anInlineObjectNamedLikeAComponentIsATypeOfItsOwn() throws {
        let schemas = "    CreatePetRequest:\n      type: object\n    create-pet-request:\n      type: object\n"
        let document = try load(makeSpec(paths: Self.petPath(body: "type: object", response: "type: string"), schemas: schemas))
        let names = GeneratedNames(document)
        let body = try #require(document.operations.first?.requestBody?.media.first)
        #expect(document.schemas.map(\.name) == ["CreatePetRequest", "create-pet-request", "CreatePetRequest_2"])
        #expect(SchemaSpelling.swiftType(body.schema, names) == "Components.Schemas.CreatePetRequest2")
        #expect(document.schemas.map { names.schemaType($0.name) } == ["CreatePetRequest", "CreatePetRequest_2", "CreatePetRequest2"])
    }

    @Test func aRejectedPropertyDoesNotAlsoFailRequired() {
        let body = """
            type: object
            required: [name]
            properties:
              name:
                not: {}
            """
        #expect(warningsOrErrors(of: makeSpec(paths: Self.petPath(body: body, response: "type: string")))
            == ["api.yaml:18:19: warning: 'not' in a schema without 'type' is not generated: the generated code does not check it"])
    }

    @Test func aMapWithPropertiesIsAnObjectWithAWarning() {
        let body = """
            type: object
            properties:
              name:
                type: string
            additionalProperties:
              type: string
            """
        #expect(warningsOrErrors(of: makeSpec(paths: Self.petPath(body: body, response: "type: string")))
            == ["api.yaml:19:17: warning: additionalProperties with a schema beside 'properties' is read as 'true': the other members are not checked, and the Swift type does not keep them"])
    }
}

/// Named primitive, array and map schemas: written in place of each `$ref`, rules and all.
@Suite struct NamedValueSchemaTests {
    static let schemas = """
            isbn:
              type: string
              pattern: '^[0-9]{13}$'
            Isbns:
              type: array
              items:
                $ref: '#/components/schemas/isbn'
            Labels:
              type: array
              items:
                type: object
                properties:
                  text:
                    type: string
        """

    @Test func aNamedPrimitiveIsUsableAsAParameterAndItsRulesApply() throws {
        let paths = """
              /books/{isbn}:
                get:
                  operationId: getBook
                  parameters:
                    - name: isbn
                      in: path
                      required: true
                      schema:
                        $ref: '#/components/schemas/isbn'
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Isbns'
            """
        let document = try load(makeSpec(paths: paths, schemas: Self.schemas))
        let operation = try #require(document.operations.first)
        #expect(OperationsRenderer.parameterType(operation.parameters[0], GeneratedNames(document)) == "Swift.String")
        #expect(SwiftCode.render(RouterRenderer.render(document)).contains(#"static let pathIsbn = APIRuntime.StringRule(pattern: APIRuntime.Pattern("^[0-9]{13}$"))"#))
        #expect(OperationsRenderer.payloadType(operation.responses[0], GeneratedNames(document)) == "[Swift.String]")
        // A named array of inline objects names its item type once, whoever refers to it.
        #expect(document.schemas.map(\.name) == ["LabelsItem"])
    }
}
