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

    @Test func anArrayOrANestedObjectInAMultipartBodyIsRepeatedOrJSONParts() throws {
        let yaml = BodyEncodingTests.spec("multipart/form-data", "type: object\nproperties:\n  tags:\n    type: array\n    items:\n      type: string\n  meta:\n    type: object\n    properties:\n      note:\n        type: string")
        #expect(warningsOrErrors(of: yaml).isEmpty)
        #expect(try load(yaml).operations[0].requestBody?.encoding == .multipart)
        let yamlOfAString = BodyEncodingTests.spec("multipart/form-data", "type: string")
        #expect(try load(yamlOfAString).operations[0].requestBody?.encoding == .bytes)
    }

    @Test func aFileInJSONOrInAParameterIsAWarning() throws {
        #expect(warningsOrErrors(of: BodyEncodingTests.spec("application/json", Self.upload)) == [
            "api.yaml:22:19: warning: 'format: binary' is a file, read only from multipart/form-data bodies; in an application/json body it is typed as a file that JSON cannot carry",
        ])
        let parameter = makeSpec(queryParameterSchema: "            type: string\n            format: binary")
        #expect(warningsOrErrors(of: parameter) == ["api.yaml:13:21: warning: 'format: binary' is a file, read only from multipart/form-data bodies; here the value is a string"])
        #expect(try load(parameter).operations[0].parameters[0].schema.kind == .string(StringRules()))
    }
}
