import Testing
@testable import RouteGenCore

/// Bodies other than JSON: forms as typed values, text as a string, any other media type as bytes.
@Suite struct BodyEncodingTests {
    /// `POST /items` (`addItem`) with a required body of `mediaType` and `schema` (unindented),
    /// answering 200 with a body of `responseType`.
    static func spec(_ mediaType: String, _ schema: String, responseType: String = "application/json") -> String {
        let indented = schema.split(separator: "\n").map { "              " + $0 }.joined(separator: "\n")
        return makeSpec(paths: """
              /items:
                post:
                  operationId: addItem
                  requestBody:
                    required: true
                    content:
                      \(mediaType):
                        schema:
            \(indented)
                  responses:
                    '200':
                      description: OK
                      content:
                        \(responseType):
                          schema:
                            type: string
            """)
    }

    static func router(_ yaml: String) throws -> String { SwiftCode.render(RouterRenderer.render(try load(yaml))) }

    @Test func aFormBodyIsATypedValueReadFromPairs() throws {
        let yaml = Self.spec("application/x-www-form-urlencoded", "type: object\nproperties:\n  count:\n    type: integer\n  tag:\n    type: array\n    items:\n      type: string")
        let document = try load(yaml)
        #expect(OperationsRenderer.bodyType(try #require(document.operations.first?.requestBody), GeneratedNames(document)) == "Components.Schemas.AddItemRequest")
        #expect(try Self.router(yaml).contains("let body = reader.formBody(Components.Schemas.AddItemRequest.self, InputRules.AddItem.body, required: true)"))
    }

    @Test func aFormWithANestedObjectIsRawBytesWithAWarning() throws {
        let yaml = Self.spec("application/x-www-form-urlencoded", "type: object\nproperties:\n  inner:\n    type: object")
        #expect(warningsOrErrors(of: yaml) == [
            "api.yaml:14:15: warning: a 'application/x-www-form-urlencoded' body whose property 'inner' is not a primitive or an array of primitives is read as raw bytes ([UInt8]): its fields are not parsed or checked",
        ])
        #expect(try load(yaml).operations[0].requestBody?.encoding == .bytes)
    }

    @Test func aTextBodyIsAStringCheckedAgainstItsRule() throws {
        let yaml = Self.spec("text/plain", "type: string\nmaxLength: 9")
        let document = try load(yaml)
        #expect(OperationsRenderer.bodyType(try #require(document.operations.first?.requestBody), GeneratedNames(document)) == "Swift.String")
        let router = try Self.router(yaml)
        #expect(router.contains("static let body: APIRuntime.SchemaRule = .string(APIRuntime.StringRule(maxLength: 9))"))
        #expect(router.contains("let body = reader.textBody(InputRules.AddItem.body, required: true)"))
        #expect(warningsOrErrors(of: Self.spec("text/plain", "type: integer"))
            == ["api.yaml:14:15: warning: a 'text/plain' body of a schema that is not a string is read as text: it is not checked"])
    }

    @Test func anyOtherMediaTypeIsRawBytesBothWays() throws {
        let yaml = Self.spec("application/octet-stream", "type: string\nformat: binary", responseType: "image/png")
        let document = try load(yaml)
        let operation = try #require(document.operations.first)
        #expect(OperationsRenderer.bodyType(try #require(operation.requestBody), GeneratedNames(document)) == "[Swift.UInt8]")
        #expect(OperationsRenderer.payloadType(operation.responses[0], GeneratedNames(document)) == "[Swift.UInt8]")
        #expect(try Self.router(yaml).contains(#"let body = reader.bytesBody(mediaType: "application/octet-stream", required: true)"#))
        let output = SwiftCode.render(OperationsRenderer.render(try load(yaml)))
        #expect(output.contains(#"return APIRuntime.ResponseEncoding.bytes(200, body, contentType: "image/png")"#))
    }

    @Test func aBytesSchemaThatDescribesMoreThanBytesIsAWarning() {
        #expect(warningsOrErrors(of: Self.spec("application/octet-stream", "type: object"))
            == ["api.yaml:14:15: warning: a 'application/octet-stream' body is read as raw bytes ([UInt8]): its schema is not checked"])
    }
}
