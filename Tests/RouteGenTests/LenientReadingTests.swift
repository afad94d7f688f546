import Testing
@testable import RouteGenCore

/// Valid OpenAPI that RouteGen cannot type precisely is generated less precisely, with a warning
/// at its spot naming what is lost; never refused. One test per class of construct.
@Suite struct LenientReadingTests {
    /// The warnings of a spec that must load (an error fails the test).
    static func warnings(_ yaml: String) throws -> [String] {
        try load(yaml).warnings.map(\.description)
    }

    /// A spec whose `GET /ping` answers 200 with `Value`, one component made of `schema` (indented for it).
    static func valueSpec(_ schema: String, version: String = "3.2.0", more: String = "") -> String {
        makeSpec(paths: """
              /ping:
                get:
                  operationId: ping
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Value'
            """, schemas: "    Value:\n" + schema.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + more)
            .replacingOccurrences(of: "openapi: 3.2.0", with: "openapi: \(version)")
    }

    /// A spec whose `POST /things` takes a body of `mediaType` described by `schema` (indented for a media type's schema).
    static func bodySpec(_ mediaType: String, _ schema: String, schemas: String = "") -> String {
        makeSpec(paths: """
              /things:
                post:
                  operationId: addThing
                  requestBody:
                    content:
                      \(mediaType):
                        schema:
            \(schema)
                  responses:
                    '204':
                      description: Done.
            """, schemas: schemas)
    }

    static func property(_ document: APIDocument, _ schema: String, _ name: String) -> Schema? {
        guard case .object(let shape)? = document.schema(named: schema)?.kind else { return nil }
        return shape.properties.first { $0.name == name }?.schema
    }

    // MARK: 1. Schemas without a type

    @Test func aSchemaWithoutTypeIsAJSONValue() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                anything: {}
                described:
                  description: Whatever the client sent.
                bounded:
                  minimum: 3
            """)
        let document = try load(yaml)
        #expect(Self.property(document, "Value", "anything")?.kind == .any)
        #expect(Self.property(document, "Value", "described")?.kind == .any)
        #expect(renderedSchemas(document).contains("public var anything: APIRuntime.JSONValue?"))
        // Only what constrains the value is lost, and said so.
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:25:11: warning: 'minimum' in a schema without 'type' is not generated: the generated code does not check it",
        ])
    }

    @Test func severalTypesAndTypeNullAreJSONValues() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                either:
                  type: [string, integer]
                nothing:
                  type: 'null'
            """)
        let document = try load(yaml)
        #expect(Self.property(document, "Value", "either")?.kind == .any)
        #expect(Self.property(document, "Value", "nothing")?.isNullable == true)
        let found = try Self.warnings(yaml)
        #expect(found.count == 2)
    }

    // MARK: 2. Keywords beside $ref, oneOf, anyOf, allOf

    @Test func keywordsBesideARefAreAnnotationsAndNullableAllowsNull() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                owner:
                  $ref: '#/components/schemas/Owner'
                  description: Who owns it.
                  nullable: true
            """, version: "3.0.3", more: "\n    Owner:\n      type: object\n      properties:\n        name:\n          type: string")
        let owner = try #require(Self.property(try load(yaml), "Value", "owner"))
        #expect(owner.kind == .reference("Owner"))
        #expect(owner.isNullable)
        let found = try Self.warnings(yaml)
        #expect(found.isEmpty)
    }

    @Test func typeObjectBesideOneOfAndDeprecatedOnADiscriminatedOneOfAreRead() throws {
        let yaml = Self.valueSpec("""
              type: object
              deprecated: true
              discriminator:
                propertyName: kind
              oneOf:
                - $ref: '#/components/schemas/Cat'
                - $ref: '#/components/schemas/Dog'
            """, more: """

                Cat:
                  type: object
                  required: [kind]
                  properties:
                    kind:
                      const: cat
                      type: string
                Dog:
                  type: object
                  required: [kind]
                  properties:
                    kind:
                      const: dog
                      type: string
            """)
        guard case .oneOf(let oneOf)? = try load(yaml).schema(named: "Value")?.kind else {
            Issue.record("not a union")
            return
        }
        #expect(oneOf.matching == .discriminator)
        #expect(oneOf.variants.map(\.tag) == ["cat", "dog"])
        let found = try Self.warnings(yaml)
        #expect(found.isEmpty)
    }

    @Test func enumBesideAllOfIsNamedAsNotChecked() throws {
        let yaml = Self.valueSpec("""
              allOf:
                - $ref: '#/components/schemas/Base'
              format: uuid
            """, more: "\n    Base:\n      type: object\n      properties:\n        id:\n          type: string")
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:21:7: warning: 'format' in an allOf schema is not generated: the generated code does not check it",
        ])
    }

    // MARK: 4. Form and multipart bodies beyond flat primitives

    @Test func aMultipartBodyThatIsNotAnObjectIsRawBytes() throws {
        let yaml = Self.bodySpec("multipart/form-data", """
                          type: array
                          items:
                            type: string
            """)
        let body = try #require(try load(yaml).operations[0].requestBody)
        #expect(body.encoding == .bytes)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:13:15: warning: a 'multipart/form-data' body whose schema is not an object is read as raw bytes ([UInt8]): its fields are not parsed or checked",
        ])
    }

    @Test func aMultipartResponseIsRawBytes() throws {
        let yaml = makeSpec(paths: """
              /things:
                get:
                  responses:
                    '200':
                      description: Parts.
                      content:
                        multipart/form-data:
                          schema:
                            type: object
            """)
        guard case .bytes("multipart/form-data")? = try load(yaml).operations[0].responses[0].content else {
            Issue.record("not bytes")
            return
        }
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    // MARK: 5. OAuth, raw bodies

    @Test func oauth2IsABearerTokenWithAWarning() throws {
        let yaml = makeSpec(paths: SnippetTests.pingPath) + """

            components:
              securitySchemes:
                petstore:
                  type: oauth2
                  flows:
                    implicit:
                      authorizationUrl: https://example.com/oauth
                      scopes:
                        read: Read.
            security:
              - petstore: [read]
            """
        let document = try load(yaml)
        #expect(document.securitySchemes.map(\.kind) == [.bearer])
        #expect(document.operations[0].security == ["petstore"])
    }

    @Test(arguments: [
        "              type: string\n              example: abc",
        "              type: string\n              format: byte",
        "              $ref: '#/components/schemas/File'",
    ])
    func rawBodiesThatAreStringsLoadWithoutWarnings(schema: String) throws {
        let yaml = Self.bodySpec("application/octet-stream", schema, schemas: "    File:\n      type: string\n      format: binary")
        let found = try Self.warnings(yaml)
        #expect(found.isEmpty)
        #expect(try load(yaml).operations[0].requestBody?.encoding == .bytes)
    }

    @Test func anXMLBodyWithAnObjectSchemaIsRawBytesWithAWarning() throws {
        let yaml = Self.bodySpec("application/xml", "              type: object\n              properties:\n                a:\n                  type: string")
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:13:15: warning: a 'application/xml' body is read as raw bytes ([UInt8]): its schema is not checked",
        ])
    }

    // MARK: 6. Object parameters, JSON Schema keywords

    @Test(arguments: [
        "              type: object\n              properties:\n                a:\n                  type: string",
        "              oneOf:\n                - type: string\n                - type: integer",
    ])
    func anObjectOrUnionParameterIsAString(schema: String) throws {
        let yaml = makeSpec(queryParameterSchema: schema)
        #expect(try load(yaml).operations[0].parameters[0].schema.kind == .string(StringRules()))
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    @Test func aParameterWithContentIsAString() throws {
        let yaml = makeSpec(paths: """
              /items:
                get:
                  parameters:
                    - name: filter
                      in: query
                      content:
                        application/json:
                          schema:
                            type: object
                  responses:
                    '204':
                      description: Nothing.
            """)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:12:13: warning: parameter 'filter' is described by 'content': it is read as a string, not parsed or checked",
        ])
    }

    @Test func aDeepObjectStyleIsAWarning() throws {
        let yaml = makeSpec(paths: """
              /items:
                get:
                  parameters:
                    - name: q
                      in: query
                      style: deepObject
                      schema:
                        type: string
                  responses:
                    '204':
                      description: Nothing.
            """)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:11:18: warning: parameter 'q': 'style: deepObject' is not generated; it is read as 'style: form', the default of a query parameter",
        ])
    }

    @Test func uniqueItemsAndMaxPropertiesAreNotChecked() throws {
        let yaml = Self.valueSpec("""
              type: object
              maxProperties: 3
              properties:
                tags:
                  type: array
                  uniqueItems: true
                  items:
                    type: string
            """)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:20:7: warning: 'maxProperties' in a 'object' schema is not generated: the generated code does not check it",
            "api.yaml:24:11: warning: 'uniqueItems' in a 'array' schema is not generated: the generated code does not check it",
        ])
    }

    // MARK: 7. Media types, streams, allOf, aliases, additionalProperties, discriminators

    @Test func aMediaTypeWithoutASchemaIsAnyJSON() throws {
        let yaml = makeSpec(paths: """
              /things:
                get:
                  responses:
                    '200':
                      description: Anything.
                      content:
                        application/json: {}
            """)
        guard case .json(_, let schema)? = try load(yaml).operations[0].responses[0].content else {
            Issue.record("not JSON")
            return
        }
        #expect(schema.kind == .any)
    }

    @Test func anEventStreamAmongSeveralMediaTypesAndJSONLinesAreRawBytes() throws {
        let yaml = makeSpec(paths: """
              /things:
                get:
                  responses:
                    '200':
                      description: Events or lines.
                      content:
                        application/json:
                          schema:
                            type: string
                        text/event-stream:
                          schema:
                            type: string
                        application/jsonl:
                          itemSchema:
                            type: object
            """)
        let contents = try load(yaml).operations[0].responses[0].contents
        #expect(contents.map(\.mediaType) == ["application/json", "text/event-stream", "application/jsonl"])
        let found = try Self.warnings(yaml)
        #expect(found.count == 2)
    }

    @Test func anAllOfOfNonObjectsIsAJSONValueAndAnnotationMembersAreIgnored() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                both:
                  allOf:
                    - type: string
                    - minLength: 2
                nullableRef:
                  allOf:
                    - $ref: '#/components/schemas/Owner'
                    - nullable: true
            """, version: "3.0.3", more: "\n    Owner:\n      type: object")
        let document = try load(yaml)
        #expect(Self.property(document, "Value", "both")?.kind == .any)
        let nullableRef = try #require(Self.property(document, "Value", "nullableRef"))
        #expect(nullableRef.kind == .reference("Owner") && nullableRef.isNullable)
    }

    @Test func aliasComponentsAreWrittenInPlace() throws {
        let yaml = Self.valueSpec("""
              $ref: '#/components/schemas/Owner'
            """, more: "\n    Single:\n      oneOf:\n        - $ref: '#/components/schemas/Owner'\n    Owner:\n      type: object")
        let document = try load(yaml)
        #expect(document.schemas.map(\.name) == ["Owner"])
        guard case .json(_, let schema)? = document.operations[0].responses[0].content else {
            Issue.record("not JSON")
            return
        }
        #expect(schema.kind == .reference("Owner"))
    }

    @Test func additionalPropertiesBesidePropertiesIsAllowedWithAWarning() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                a:
                  type: string
              additionalProperties:
                type: integer
            """)
        guard case .object(let shape)? = try load(yaml).schema(named: "Value")?.kind else {
            Issue.record("not an object")
            return
        }
        #expect(shape.allowsAdditionalProperties)
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    @Test func aDiscriminatorWithInlineVariantsIsAnOrderedUnion() throws {
        let yaml = Self.valueSpec("""
              oneOf:
                - type: object
                  properties:
                    kind:
                      type: string
                - type: string
              discriminator:
                propertyName: kind
            """)
        guard case .oneOf(let oneOf)? = try load(yaml).schema(named: "Value")?.kind else {
            Issue.record("not a union")
            return
        }
        #expect(oneOf.matching == .exactlyOne)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:26:9: warning: the discriminator is not used (a variant is not a $ref): the variants are tried in order, as for a oneOf without one",
        ])
    }

    // MARK: 8. One each

    @Test func componentsLinksAndPathServersAreWarnings() throws {
        let yaml = makeSpec(paths: """
              /ping:
                servers:
                  - url: https://example.com
                get:
                  responses:
                    '204':
                      description: Nothing.
            """) + "\ncomponents:\n  links:\n    Next:\n      operationId: ping"
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:7:5: warning: 'servers' in path '/ping' is not generated: documentation only",
            "api.yaml:14:3: warning: 'links' in components is not generated: they document relations for clients only",
        ])
    }

    @Test func aThreeOneDocumentWithWebhooksAndNoPathsGeneratesItsSchemas() throws {
        let yaml = """
            openapi: 3.1.0
            info:
              title: Hooks
              version: '1'
            webhooks:
              newPet:
                post:
                  responses:
                    '200':
                      description: OK
            components:
              schemas:
                Pet:
                  type: object
            """
        let document = try load(yaml)
        #expect(document.operations.isEmpty)
        #expect(document.schemas.map(\.name) == ["Pet"])
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:1:1: warning: the document has no 'paths': nothing is served; its schemas are generated",
            "api.yaml:5:1: warning: 'webhooks' is ignored: webhooks are not generated",
        ])
        // A caseless enum cannot have a raw type, so its `rawValue` is written out (the corpus
        // check compiles this; a raw type here was a compile error).
        let router = SwiftCode.render(RouterRenderer.render(document))
        #expect(router.contains("public enum OperationID: Hashable, Sendable, CaseIterable {"))
        #expect(router.contains("public var rawValue: Swift.String {"))
    }

    @Test func emptyContentIsABodylessResponse() throws {
        let yaml = makeSpec(paths: """
              /ping:
                get:
                  responses:
                    '200':
                      description: OK
                      content: {}
            """)
        #expect(try load(yaml).operations[0].responses[0].content == nil)
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    @Test func aProblemSchemaThatIsNotProblemDetailsIsAWarning() throws {
        let yaml = makeSpec(paths: """
              /ping:
                get:
                  operationId: ping
                  responses:
                    '404':
                      description: Missing.
                      content:
                        application/problem+json:
                          schema:
                            type: object
                            properties:
                              message:
                                type: string
            """)
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    @Test func binaryInJSONAndRequiredWithoutPropertyAreWarnings() throws {
        let yaml = Self.valueSpec("""
              type: object
              required: [missing]
              properties:
                file:
                  type: string
                  format: binary
            """)
        let found = try Self.warnings(yaml)
        #expect(found.count == 2)
    }

    @Test func aNullableComponentMakesItsReferencesNullable() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                owner:
                  $ref: '#/components/schemas/Owner'
            """, more: "\n    Owner:\n      type: [object, 'null']")
        #expect(Self.property(try load(yaml), "Value", "owner")?.isNullable == true)
    }

    @Test func nullableInAThreeOneDocumentIsReadWithAWarning() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                name:
                  type: string
                  nullable: true
            """, version: "3.1.0")
        #expect(Self.property(try load(yaml), "Value", "name")?.isNullable == true)
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    // MARK: Diagnostics that misled

    @Test func aParameterRefToIntegerConstVariantsIsItsTypeWithOneWarning() throws {
        let yaml = makeSpec(paths: """
              /items:
                get:
                  parameters:
                    - name: level
                      in: query
                      schema:
                        $ref: '#/components/schemas/Level'
                  responses:
                    '204':
                      description: Nothing.
            """, schemas: """
                Level:
                  type: integer
                  oneOf:
                    - const: 1
                      title: Low
                    - const: 2
                      title: High
            """)
        #expect(try load(yaml).operations[0].parameters[0].schema.kind == .integer(NumberRules()))
        let found = try Self.warnings(yaml)
        #expect(found.count == 1)
    }

    @Test func contentEncodingAndFormatOnAnObjectAreNotGeneratedRatherThanUnknown() throws {
        let yaml = Self.valueSpec("""
              type: object
              format: custom
              properties:
                blob:
                  type: string
                  contentEncoding: base64
            """)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:20:7: warning: 'format' in a 'object' schema is not generated: the generated code does not check it",
            "api.yaml:24:11: warning: 'contentEncoding' in a 'string' schema is not generated: the generated code does not check it",
        ])
    }

    @Test func aRefIntoAnyPartOfTheDocumentIsFollowed() throws {
        let yaml = makeSpec(paths: """
              /pets:
                get:
                  parameters:
                    - name: limit
                      in: query
                      schema:
                        $ref: '#/components/schemas/Pet/properties/age'
                  responses:
                    '200':
                      $ref: '#/components/responses/Pets'
              /owners:
                get:
                  responses:
                    '200':
                      description: The pets' media type, by pointer.
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/responses/Pets/content/application~1json/schema'
            """, schemas: """
                Pet:
                  type: object
                  properties:
                    age:
                      type: integer
            """) + """

              responses:
                Pets:
                  description: Pets.
                  content:
                    application/json:
                      schema:
                        type: array
                        items:
                          $ref: '#/components/schemas/Pet'
            """
        let document = try load(yaml)
        #expect(document.operations[0].parameters[0].schema.kind == .integer(NumberRules()))
        guard case .json(_, let schema)? = document.operations[1].responses[0].content, case .array(let items, _, _) = schema.kind else {
            Issue.record("the pointed schema is not read")
            return
        }
        #expect(items.kind == .reference("Pet"))
        #expect(document.operations[0].responses[0].description == "Pets.")
    }

    @Test func anExternalExampleABadDefaultAnICUPatternAndRequiredOnAMapAreWarnings() throws {
        let yaml = makeSpec(paths: """
              /items:
                get:
                  parameters:
                    - name: size
                      in: query
                      schema:
                        type: integer
                        default: big
                    - name: code
                      in: query
                      schema:
                        type: string
                        pattern: '(?<=a'
                  responses:
                    '200':
                      description: Items.
                      content:
                        application/json:
                          schema:
                            type: object
                            required: [a]
                            additionalProperties:
                              type: string
                          examples:
                            far:
                              externalValue: https://example.com/items.json
            """)
        let document = try load(yaml)
        #expect(document.operations[0].parameters[0].schema.defaultValue == nil)
        guard case .string(let rules) = document.operations[0].parameters[1].schema.kind else {
            Issue.record("not a string")
            return
        }
        #expect(rules.pattern == nil)
        #expect(document.warnings.map(\.message) == [
            "the default of parameter 'size' is not a value of its type: it is not applied",
            "pattern '(?<=a' is not a regular expression the generated code can run (ICU): it is not checked",
            "'required' on a map (additionalProperties without properties) is not checked",
            "example 'far' has no 'value' or 'dataValue': it is not used",
        ])
    }

    @Test func booleanSchemasAndRefsToOtherDocumentsAreJSONValues() throws {
        let yaml = Self.valueSpec("""
              type: object
              properties:
                anything: true
                remote:
                  $ref: 'common.yaml#/components/schemas/Money'
            """, version: "3.1.0")
        let document = try load(yaml)
        #expect(Self.property(document, "Value", "anything")?.kind == .any)
        #expect(Self.property(document, "Value", "remote")?.kind == .any)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:23:17: warning: $ref 'common.yaml#/components/schemas/Money' is to another document, which RouteGen does not fetch: here it is a JSON value (JSONValue), not checked",
        ])
    }

    @Test func aShadowedPathParameterIsSaidWithItsLine() throws {
        let yaml = makeSpec(paths: """
              /chat/{room}:
                get:
                  parameters:
                    - name: room
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '204':
                      description: Nothing.
              /chat/version:
                get:
                  responses:
                    '204':
                      description: Nothing.
            """)
        let found = try Self.warnings(yaml)
        #expect(found == [
            "api.yaml:9:11: warning: path parameter 'room' of '/chat/{room}' never receives 'version': '/chat/version' takes that path; give the parameter a pattern that refuses it",
        ])
    }

    @Test func aTypoInAThreeZeroSchemaIsStillAnError() {
        let yaml = Self.valueSpec("      type: string\n      maxLenght: 3", version: "3.0.3")
        #expect(onlyDiagnostic(of: yaml) == "api.yaml:20:11: error: unknown keyword 'maxLenght' in a 'string' schema")
    }
}
