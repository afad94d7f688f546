import Testing
@testable import RouteGenCore

/// A short YAML in, the Swift that must come out.
@Suite struct SnippetTests {
    static let pingPath = """
          /ping:
            get:
              operationId: ping
              summary: Answers pong.
              responses:
                '200':
                  description: The word pong.
                  content:
                    text/plain:
                      schema:
                        type: string
        """

    static func rendered(_ schemas: String) throws -> String {
        let document = try load(makeSpec(paths: pingPath, schemas: schemas))
        return renderedSchemas(document)
    }

    @Test func objectSchemaBecomesACodableStructWithItsRule() throws {
        let swift = try Self.rendered("""
                Pet:
                  description: A pet.
                  type: object
                  required: [name]
                  properties:
                    name:
                      type: string
                      maxLength: 10
                    is-good:
                      type: boolean
            """)
        #expect(swift == """
            /// A pet.
            public struct Pet: Swift.Codable, Swift.Hashable, Swift.Sendable {
                public var name: Swift.String
                public var isGood: Swift.Bool?

                /// Creates a value from its fields.
                public init(name: Swift.String, isGood: Swift.Bool? = nil) {
                    self.name = name
                    self.isGood = isGood
                }

                private enum CodingKeys: Swift.String, Swift.CodingKey {
                    case name
                    case isGood = "is-good"
                }
            }

            extension Components.Schemas.Pet {
                /// The constraints of `Pet` in the spec.
                public static let schemaRule: APIRuntime.SchemaRule = .object([
                    APIRuntime.PropertyRule("name", .string(APIRuntime.StringRule(maxLength: 10)), required: true),
                    APIRuntime.PropertyRule("is-good", .boolean, required: false),
                ], additionalProperties: false)
            }

            """)
    }

    @Test func envelopeOneOfBecomesAnEnumWithAssociatedPayloads() throws {
        let swift = try Self.rendered("""
                Event:
                  oneOf:
                    - $ref: '#/components/schemas/Hello'
                  discriminator:
                    propertyName: kind
                Hello:
                  type: object
                  required: [kind, body]
                  properties:
                    kind:
                      type: string
                      const: hello
                    body:
                      type: string
            """)
        #expect(swift.contains("""
            public enum Event: Swift.Codable, Swift.Hashable, Swift.Sendable {
                /// `kind: hello`
                case hello(Swift.String)

                private enum CodingKeys: Swift.String, Swift.CodingKey {
                    case body
                    case kind
                }

                public init(from decoder: any Swift.Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    let tag = try container.decode(Swift.String.self, forKey: .kind)
                    switch tag {
                    case "hello":
                        self = .hello(try container.decode(Swift.String.self, forKey: .body))
                    default:
                        throw Swift.DecodingError.dataCorruptedError(
                            forKey: .kind, in: container, debugDescription: "unknown kind '\\(tag)'")
                    }
                }

                public func encode(to encoder: any Swift.Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    switch self {
                    case .hello(let value):
                        try container.encode("hello", forKey: .kind)
                        try container.encode(value, forKey: .body)
                    }
                }
            }
            """))
    }

    @Test func operationBecomesAProtocolMethodWithItsDocumentation() throws {
        let document = try load(makeSpec(paths: Self.pingPath))
        #expect(SwiftCode.render(HandlerRenderer.render(document)).contains("""
                /// Answers pong.
                ///
                /// `GET /ping`
                func ping(_ input: Operations.Ping.Input) async throws -> Operations.Ping.Output
            """))
    }

    @Test func outputHasACasePerStatusThatEncodesItself() throws {
        let document = try load(makeSpec(paths: Self.pingPath))
        let swift = SwiftCode.render(OperationsRenderer.render(document))
        #expect(swift.contains("""
                    public enum Output: APIRuntime.OperationOutput {
                        /// 200: The word pong.
                        case ok(Swift.String)

                        /// The statuses `ping` documents.
                        public static let documentedStatuses = [200]

                        /// The documented problem case for `problem`'s status; nil when `ping` documents no problem with
                        /// it.
                        public init?(problem: APIRuntime.ProblemDetails) {
                            return nil
                        }

                        /// The response with the status and media type the spec declares.
                        public func response(_ options: APIRuntime.RouterOptions) -> APIRuntime.HTTPResponse {
                            switch self {
                            case .ok(let body):
                                return APIRuntime.ResponseEncoding.text(200, body, contentType: "text/plain")
                            }
                        }
                    }
            """))
    }

    /// `GET /pets/{id}` answering a pet or a 404 problem.
    static let petPath = """
          /pets/{id}:
            get:
              operationId: getPet
              parameters:
                - name: id
                  in: path
                  required: true
                  schema:
                    type: string
              responses:
                '200':
                  description: The pet's name.
                  content:
                    text/plain:
                      schema:
                        type: string
                '404':
                  description: No such pet.
                  content:
                    application/problem+json:
                      schema:
                        $ref: '#/components/schemas/Problem'
        """

    static let problemSchema = """
            Problem:
              type: object
              required: [type, title, status, detail]
              properties:
                type:
                  type: string
                title:
                  type: string
                status:
                  type: integer
                detail:
                  type: string
        """

    @Test func problemResponsesCarryProblemDetailsAndAreMadeFromAProblemOfTheirStatus() throws {
        let document = try load(makeSpec(paths: Self.petPath, schemas: Self.problemSchema))
        let swift = SwiftCode.render(OperationsRenderer.render(document))
        #expect(swift.contains("""
                    public enum Output: APIRuntime.OperationOutput {
                        /// 200: The pet's name.
                        case ok(Swift.String)
                        /// 404: No such pet.
                        case notFound(APIRuntime.ProblemDetails)

                        /// The statuses `getPet` documents.
                        public static let documentedStatuses = [200, 404]

                        /// The documented problem case for `problem`'s status; nil when `getPet` documents no problem
                        /// with it.
                        public init?(problem: APIRuntime.ProblemDetails) {
                            switch problem.status.code {
                            case 404: self = .notFound(problem)
                            default: return nil
                            }
                        }

                        /// The response with the status and media type the spec declares.
                        public func response(_ options: APIRuntime.RouterOptions) -> APIRuntime.HTTPResponse {
                            switch self {
                            case .ok(let body):
                                return APIRuntime.ResponseEncoding.text(200, body, contentType: "text/plain")
                            case .notFound(let body):
                                return APIRuntime.ResponseEncoding.problem(404, body, options: options)
                            }
                        }
                    }
            """))
        #expect(swift.contains("""
                /// Every operation's output type, in the spec's order.
                public static let outputTypes: [any APIRuntime.OperationOutput.Type] = [
                    Operations.GetPet.Output.self,
                ]
            """))
    }

    @Test func staticRoutesAreListedForTheRouter() throws {
        let document = try load(makeSpec(paths: Self.pingPath))
        let swift = SwiftCode.render(RouterRenderer.render(document))
        #expect(swift.contains("(\"GET\", \"/ping\", .ping),"))
        #expect(swift.contains("case .ping: return await ping(request, match.parameters)"))
        #expect(swift.contains("public func respond(to request: HTTPRequest) async -> HTTPResponse {"))
    }

    @Test func theRouterAwaitsTheHandlerAndHandsWhatItThrowsToTheRuntime() throws {
        let document = try load(makeSpec(paths: Self.petPath, schemas: Self.problemSchema))
        let swift = SwiftCode.render(RouterRenderer.render(document))
        #expect(swift.contains("""
                private func getPet(_ request: HTTPRequest, _ parameters: [String: String]) async -> HTTPResponse {
                    var reader = InputReader(request: request, pathParameters: parameters)
                    let pathId = reader.string(.path, "id", InputRules.GetPet.pathId, required: true)
                    if let problem = reader.failure() {
                        return RouterResponses.invalidInput(problem, options: options)
                    }
                    guard let pathId else {
                        return RouterResponses.internalError(options: options)  // unreachable: a missing required value fails above
                    }
                    let input = Operations.GetPet.Input(path: .init(id: pathId))
                    do {
                        return try await handler.getPet(input).response(options)
                    } catch {
                        return RouterResponses.thrown(error, by: Operations.GetPet.id, as: Operations.GetPet.Output.self, request: request, options: options)
                    }
                }
            """))
    }

    @Test func docCommentsWrapAtSpaces() {
        let long = Array(repeating: "word", count: 40).joined(separator: " ")
        let lines = SwiftCode.doc(long).rendered().split(separator: "\n")
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.count <= SwiftCode.lineWidth })
    }
}
