import Testing
@testable import RouteGenCore

/// Several media types in one `content`: the handler learns which came in, and answers one the
/// request's `Accept` allows.
@Suite struct MediaTypeTests {
    /// `POST /notes` taking `requestTypes` and answering 200 in `responseTypes`, each with an inline schema.
    static func spec(request requestTypes: [String], response responseTypes: [String]) -> String {
        let media = { (types: [String], indent: String) in
            types.map { type in
                let schema = type == "application/json" ? "type: object\n  properties:\n    text:\n      type: string" : "type: string"
                return ("\(type):\n  schema:\n    " + schema.replacingOccurrences(of: "\n", with: "\n  "))
                    .split(separator: "\n").map { indent + $0 }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
        return makeSpec(paths: """
              /notes:
                post:
                  operationId: addNote
                  requestBody:
                    required: true
                    content:
            \(media(requestTypes, "            "))
                  responses:
                    '200':
                      description: OK
                      content:
            \(media(responseTypes, "              "))
            """)
    }

    static func rendered(_ yaml: String) throws -> (operations: String, router: String) {
        let document = try load(yaml)
        return (SwiftCode.render(OperationsRenderer.render(document)), SwiftCode.render(RouterRenderer.render(document)))
    }

    @Test func theInputSaysWhichMediaTypeCameIn() throws {
        let (operations, router) = try Self.rendered(Self.spec(request: ["application/json", "text/plain"], response: ["text/plain"]))
        #expect(operations.contains("            public enum Body: Swift.Sendable {\n                /// `application/json`\n                case json(Components.Schemas.AddNoteRequestJson)\n                /// `text/plain`\n                case plain(Swift.String)\n            }\n"))
        #expect(operations.contains("        public var body: Body\n"))
        #expect(router.contains(#"switch reader.bodyMediaType(["application/json", "text/plain"], required: true) {"#))
        #expect(router.contains("case 0?: body = reader.jsonBody(Components.Schemas.AddNoteRequestJson.self, InputRules.AddNote.bodyJson, required: true).map { .json($0) }"))
        #expect(router.contains("case 1?: body = reader.textBody(InputRules.AddNote.bodyPlain, required: true).map { .plain($0) }"))
        #expect(!operations.contains("accept"))
    }

    @Test func aResponseInSeveralMediaTypesIsNegotiated() throws {
        let (operations, router) = try Self.rendered(Self.spec(request: ["text/plain"], response: ["application/json", "text/plain"]))
        #expect(operations.contains("            case ok(OkBody)\n"))
        #expect(operations.contains("            public enum OkBody: APIRuntime.NegotiatedBody {"))
        #expect(operations.contains(#"public static let mediaTypes = ["application/json", "text/plain"]"#))
        #expect(operations.contains("public static func preferred(by accept: APIRuntime.AcceptedMediaTypes, json: @autoclosure () -> Components.Schemas.AddNoteResponse200Json, plain: @autoclosure () -> Swift.String) -> Self {"))
        #expect(operations.contains("return APIRuntime.ResponseEncoding.negotiated(200, body, accept: accept, options: options)"))
        #expect(operations.contains("        public var accept: APIRuntime.AcceptedMediaTypes\n"))
        #expect(router.contains(#"let accept = AcceptedMediaTypes(header: request.headers.values(for: "Accept"))"#))
        #expect(router.contains("return try await handler.addNote(input).response(options, accept: accept)"))
    }

    @Test func subtypesThatMeetAreNamedByTheWholeTypeAndCasesThatStillMeetAreNumbered() throws {
        let document = try load(Self.spec(request: ["application/json", "text/json"], response: ["text/plain"]))
        #expect(document.operations[0].requestBody?.media.map(\.caseName) == ["applicationJson", "textJson"])
        let meeting = Self.spec(request: ["application/vnd+json", "application/vnd-json"], response: ["text/plain; version=1", "text/plain;version=1"])
        #expect(warningsOrErrors(of: meeting).isEmpty)
        let numbered = try load(meeting).operations[0]
        #expect(numbered.requestBody?.media.map(\.caseName) == ["applicationVndJson", "applicationVndJson_2"])
        #expect(numbered.responses[0].caseNames == ["textPlainVersion1", "textPlainVersion1_2"])
        let (operations, router) = try Self.rendered(meeting)
        #expect(operations.contains("                /// `application/vnd-json`\n                case applicationVndJson_2([Swift.UInt8])\n"))
        #expect(operations.contains("public static func preferred(by accept: APIRuntime.AcceptedMediaTypes, textPlainVersion1: @autoclosure () -> Swift.String, textPlainVersion1_2: @autoclosure () -> Swift.String) -> Self {"))
        #expect(router.contains(#"case 1?: body = reader.bytesBody(mediaType: "application/vnd-json", required: true).map { .applicationVndJson_2($0) }"#))
    }

    @Test func aNumberedCaseNeverMeetsAnotherInTheNamesMadeFromItsWords() throws {
        // `applicationXJson_2` is `bodyApplicationXJson2` in the router and `…ApplicationXJson2` as a
        // type, which the third media type's own case would also make: it is numbered instead.
        let yaml = Self.spec(request: ["application/x-json", "application/x+json", "text/application-x-json2"], response: ["text/plain"])
        let media = try #require(try load(yaml).operations[0].requestBody?.media)
        #expect(media.map(\.caseName) == ["applicationXJson", "applicationXJson_2", "applicationXJson2_2"])
        let router = try Self.rendered(yaml).router
        #expect(router.contains(".map { .applicationXJson2_2($0) }"))
    }

    @Test func anEventStreamAmongOthersIsRawBytesWithAWarning() {
        let yaml = Self.spec(request: ["text/plain"], response: ["text/plain", "text/event-stream"])
        #expect(warningsOrErrors(of: yaml) == [
            "api.yaml:23:17: warning: a text/event-stream response without 'itemSchema' is answered as raw bytes ([UInt8]): its events are not typed",
        ])
    }
}
