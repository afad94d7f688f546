import Foundation
import Testing
@testable import RouteGenCore

/// Each diagnostic RouteGen gives, with the exact line and column it points at.
///
/// `makeSpec` puts `paths:` on line 5, so the first path is on line 6.
@Suite struct DiagnosticTests {
    /// `GET /items/{id}` with its parameter; `operation` replaces the `operationId` line.
    static func itemPath(operationId: String = "      operationId: getItem", parameterIn: String = "path",
                         path: String = "/items/{id}", schemaType: String = "string", status: String = "'200'") -> String {
        """
          \(path):
            get:
        \(operationId)
              parameters:
                - name: id
                  in: \(parameterIn)
                  required: true
                  schema:
                    type: \(schemaType)
              responses:
                \(status):
                  description: OK
        """
    }

    @Test func theBaseSpecLoadsCleanly() {
        #expect(diagnostics(of: makeSpec(paths: Self.itemPath())).isEmpty)
    }

    @Test func compilerFormat() {
        let diagnostic = Diagnostic(.error, file: "api.yaml", at: SourceLocation(line: 12, column: 7), "bad")
        #expect(diagnostic.description == "api.yaml:12:7: error: bad")
        #expect(Diagnostic(.warning, file: "x.yaml", at: SourceLocation(line: 1, column: 2), "hm").description == "x.yaml:1:2: warning: hm")
    }

    @Test func yamlSyntaxErrorAtLibyamlsMark() {
        let spec = makeSpec(paths: "  /a: [1, 2\n  /b: {}")
        #expect(onlyDiagnostic(of: spec) == "api.yaml:7:5: error: did not find expected ',' or ']' while parsing a flow sequence at line 6, column 7")
    }

    @Test func duplicateOperationIdIsReportedAtTheDuplicatesValue() {
        let second = Self.itemPath(path: "/other/{id}")
        let spec = makeSpec(paths: Self.itemPath() + "\n" + second)
        #expect(onlyDiagnostic(of: spec) == "api.yaml:20:20: error: duplicate operationId 'getItem' (also used by GET /items/{id} at line 8)")
    }

    @Test func templateParameterWithoutDeclaration() {
        let spec = makeSpec(paths: Self.itemPath(path: "/items/{id}/{part}"))
        #expect(onlyDiagnostic(of: spec) == "api.yaml:7:5: error: path parameter '{part}' of '/items/{id}/{part}' is not declared by operation 'getItem'")
    }

    @Test func declaredPathParameterMissingFromTemplate() {
        let spec = makeSpec(paths: Self.itemPath(path: "/items"))
        #expect(onlyDiagnostic(of: spec) == "api.yaml:10:11: error: path parameter 'id' is declared but '/items' has no '{id}'")
    }

    @Test func unresolvedReference() {
        let paths = """
              /items:
                get:
                  operationId: listItems
                  responses:
                    '200':
                      description: OK
                      content:
                        application/json:
                          schema:
                            $ref: '#/components/schemas/Itme'
            """
        let schemas = "    Item:\n      type: object\n"
        #expect(onlyDiagnostic(of: makeSpec(paths: paths, schemas: schemas))
            == "api.yaml:15:23: error: unresolved $ref '#/components/schemas/Itme': no schemas named 'Itme'")
    }

    @Test func unknownType() {
        let spec = makeSpec(paths: Self.itemPath(schemaType: "strng"))
        #expect(onlyDiagnostic(of: spec) == "api.yaml:14:19: error: unknown type 'strng' (object, array, string, integer, number, boolean, null)")
    }

    @Test func unknownKeyword() {
        // JSON Schema (3.1 and later) ignores keywords it does not define: a warning there, an error in 3.0.
        let spec = makeSpec(paths: Self.itemPath(schemaType: "string\n            maxLenght: 3"))
        #expect(warningsOrErrors(of: spec) == ["api.yaml:15:13: warning: unknown keyword 'maxLenght' in a 'string' schema is ignored"])
        #expect(onlyDiagnostic(of: spec.replacingOccurrences(of: "openapi: 3.2.0", with: "openapi: 3.0.3"))
            == "api.yaml:15:13: error: unknown keyword 'maxLenght' in a 'string' schema")
    }

    @Test func badStatusCode() {
        let spec = makeSpec(paths: Self.itemPath(status: "'2XY'"))
        #expect(onlyDiagnostic(of: spec)
            == "api.yaml:16:9: error: bad status code '2XY': expected a code from 100 to 599, a range from '1XX' to '5XX', or 'default'")
    }

    @Test func aCookieParameterIsAWarningAndAnUnknownLocationAnError() {
        let spec = makeSpec(paths: Self.itemPath(parameterIn: "cookie"))
        let found = diagnostics(of: spec).map(\.description)
        #expect(found.contains("api.yaml:11:15: warning: parameter 'id' in cookie is not generated: the handler does not receive it"))
        let body = diagnostics(of: makeSpec(paths: Self.itemPath(parameterIn: "body"))).map(\.description)
        #expect(body.contains("api.yaml:11:15: error: parameter 'id': 'in: body' is not a parameter location (path, query, header, cookie)"))
    }

    @Test func duplicateKeyInSpec() {
        let spec = makeSpec(paths: Self.itemPath(operationId: "      operationId: getItem\n      operationId: again"))
        #expect(onlyDiagnostic(of: spec) == "api.yaml:9:7: error: duplicate key 'operationId' (first defined at line 8, column 7)")
    }

    @Test func severalProblemsAreAllReportedInSourceOrder() {
        let spec = makeSpec(paths: Self.itemPath(schemaType: "strng", status: "'999'"))
        let lines = diagnostics(of: spec).map(\.location.line)
        #expect(lines == [14, 16])
    }

    @Test func aNamedArrayThatReachesItselfIsAJSONValueThere() {
        let spec = makeSpec(paths: Self.itemPath(), schemas: "    Codes:\n      type: array\n      items:\n        $ref: '#/components/schemas/Codes'\n")
        #expect(warningsOrErrors(of: spec) == ["api.yaml:23:9: warning: schema 'Codes' is an array or map that contains itself, which Swift cannot write in place: here it is a JSON value (JSONValue), not checked"])
    }

    @Test func aDefaultOnARequiredParameterIsAWarningAndDropped() throws {
        let spec = makeSpec(paths: Self.itemPath(schemaType: "string\n            default: x"))
        #expect(warningsOrErrors(of: spec) == ["api.yaml:15:22: warning: parameter 'id' is required, so its default never applies"])
        #expect(try load(spec).operations[0].parameters[0].schema.defaultValue == nil)
    }

    @Test func aSchemaMayShareTheSwiftNameOfAnOperation() throws {
        let document = try load(makeSpec(paths: Self.itemPath(), schemas: "    GetItem:\n      type: object\n"))
        let names = GeneratedNames(document)
        #expect(names.schema("GetItem") == "Components.Schemas.GetItem")
        #expect(names.operation("getItem") == "Operations.GetItem")
    }

    @Test func parametersThatMeetInSwiftAreNumbered() throws {
        let paths = """
              /items:
                get:
                  operationId: listItems
                  parameters:
                    - name: page_size
                      in: query
                      schema:
                        type: integer
                    - name: pageSize
                      in: query
                      schema:
                        type: integer
                  responses:
                    '200':
                      description: OK
            """
        let document = try load(makeSpec(paths: paths))
        let operations = SwiftCode.render(OperationsRenderer.render(document))
        #expect(operations.contains("public init(pageSize: Swift.Int? = nil, pageSize_2: Swift.Int? = nil) {"))
        let router = SwiftCode.render(RouterRenderer.render(document))
        #expect(router.contains(#"let queryPageSize = reader.integer(.query, "page_size", InputRules.ListItems.queryPageSize, required: false)"#))
        #expect(router.contains(#"let queryPageSize_2 = reader.integer(.query, "pageSize", InputRules.ListItems.queryPageSize_2, required: false)"#))
        #expect(router.contains("query: .init(pageSize: queryPageSize, pageSize_2: queryPageSize_2)"))
    }

    @Test func wrongOpenAPIVersion() {
        let spec = makeSpec(paths: Self.itemPath()).replacingOccurrences(of: "openapi: 3.2.0", with: "openapi: 3.3.0")
        #expect(onlyDiagnostic(of: spec) == "api.yaml:1:10: error: openapi '3.3.0' is not supported; RouteGen reads OpenAPI 3.0, 3.1 and 3.2")
    }

    @Test func aProblemResponseWhoseSchemaIsNotAProblemIsAWarningAtTheSchema() {
        let notAProblem = SnippetTests.problemSchema.replacingOccurrences(of: "type: integer", with: "type: string")
        #expect(notAProblem != SnippetTests.problemSchema)
        #expect(warningsOrErrors(of: makeSpec(paths: SnippetTests.petPath, schemas: notAProblem))
            == ["api.yaml:27:17: warning: response 404 of 'getPet' is application/problem+json, but its schema has a 'status' that is "
                + "not an integer; the handler answers the runtime's ProblemDetails (string 'type', 'title' and 'detail', integer 'status', optional 'errors'), so the schema's other fields are not written"])
        let noDetail = SnippetTests.problemSchema.replacingOccurrences(of: "detail", with: "message")
        #expect(warningsOrErrors(of: makeSpec(paths: SnippetTests.petPath, schemas: noDetail)).first?
            .hasPrefix("api.yaml:27:17: warning: response 404 of 'getPet' is application/problem+json, but its schema has no 'detail' property;") == true)
    }
}

/// What RouteGen leaves out is a warning at its spot, never silence, and never an error.
@Suite struct IgnoredKeyTests {
    @Test func webhooksCallbacksLinksAndXMLAreWarnedAboutWhereTheyAre() throws {
        let paths = """
              /items:
                post:
                  operationId: addItem
                  callbacks: {}
                  responses:
                    '200':
                      description: OK
                      links: {}
                      content:
                        application/json:
                          schema:
                            type: string
                            xml:
                              name: item
            """
        let document = try load(makeSpec(paths: paths) + "\nwebhooks: {}\n")
        #expect(document.warnings.map(\.description) == [
            "api.yaml:9:7: warning: 'callbacks' is ignored: callbacks are not generated",
            "api.yaml:13:11: warning: 'links' is ignored: links are not generated",
            "api.yaml:18:17: warning: 'xml' is ignored: XML is not read or written; the schema is used for JSON only",
            "api.yaml:20:1: warning: 'webhooks' is ignored: webhooks are not generated",
        ])
    }

    @Test func aCleanSpecHasNoWarnings() throws {
        #expect(try SpecLoader.load(path: realSpecPath).warnings.isEmpty)
    }
}
