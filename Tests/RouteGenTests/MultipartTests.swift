import Testing
@testable import RouteGenCore

/// `multipart/form-data` bodies: an object of primitive and file (`format: binary`) fields.
@Suite struct MultipartTests {
    static let upload = "type: object\nrequired: [file]\nproperties:\n  title:\n    type: string\n  copies:\n    type: integer\n  file:\n    type: string\n    format: binary"

    @Test func aMultipartBodyIsATypedValueWithFiles() throws {
        let yaml = BodyEncodingTests.spec("multipart/form-data", Self.upload)
        let document = try load(yaml)
        #expect(OperationsRenderer.bodyType(try #require(document.operations.first?.requestBody), GeneratedNames(document)) == "Components.Schemas.AddItemRequest")
        #expect(try BodyEncodingTests.router(yaml).contains(
            "let body = reader.multipartBody(Components.Schemas.AddItemRequest.self, InputRules.AddItem.body, required: true, maxParts: options.maxMultipartParts)"))
        let types = renderedSchemas(document)
        #expect(types.contains("    public var file: APIRuntime.MultipartFile\n"))
        #expect(types.contains("    public var copies: Swift.Int?\n"))
        #expect(types.contains(#"APIRuntime.PropertyRule("file", .file, required: true),"#))
    }

    @Test func aNestedObjectOrAnArrayInAMultipartBodyIsAnError() {
        #expect(onlyDiagnostic(of: BodyEncodingTests.spec("multipart/form-data", "type: object\nproperties:\n  tags:\n    type: array\n    items:\n      type: string"))
            == "api.yaml:14:15: error: a multipart/form-data body must have string, number, integer, boolean or file ('format: binary') properties; 'tags' is not")
    }

    @Test func aFileInJSONOrInAParameterIsAnError() {
        #expect(onlyDiagnostic(of: BodyEncodingTests.spec("application/json", Self.upload))
            == "api.yaml:22:19: error: 'format: binary' is a file, supported only in multipart/form-data bodies; an application/json body cannot carry one")
        let parameter = makeSpec(queryParameterSchema: "            type: string\n            format: binary")
        #expect(onlyDiagnostic(of: parameter) == "api.yaml:13:21: error: 'format: binary' is a file, supported only in multipart/form-data bodies")
    }
}
