import Testing
@testable import RouteGenCore

/// `default` and status ranges (`2XX`): a case that carries its status, checked when encoded.
@Suite struct StatusPatternTests {
    static let paths = """
          /items:
            get:
              operationId: listItems
              responses:
                '200':
                  description: The items.
                  content:
                    application/json:
                      schema:
                        type: array
                        items:
                          type: string
                4XX:
                  description: A client mistake.
                  content:
                    application/problem+json:
                      schema:
                        $ref: '#/components/schemas/Problem'
                default:
                  description: Anything else.
        """

    @Test func keysAreReadAsCodesRangesAndDefault() {
        #expect(StatusPattern(key: "404") == .code(404))
        #expect(StatusPattern(key: "4XX") == .range(4))
        #expect(StatusPattern(key: "4xx") == .range(4))
        #expect(StatusPattern(key: "default") == .default)
        #expect(StatusPattern(key: "6XX") == nil)
        #expect(StatusPattern(key: "99") == nil)
        #expect([StatusPattern.default, .range(2), .code(404), .code(200)].sorted() == [.code(200), .code(404), .range(2), .default])
    }

    @Test func theMostSpecificResponseDocumentsAStatus() throws {
        let operation = try #require(try load(makeSpec(paths: Self.paths, schemas: SnippetTests.problemSchema)).operations.first)
        #expect(operation.response(for: 200)?.pattern == .code(200))
        #expect(operation.response(for: 404)?.pattern == .range(4))
        #expect(operation.response(for: 503)?.pattern == .default)
    }

    @Test func rangeAndDefaultCasesCarryTheirStatus() throws {
        let document = try load(makeSpec(paths: Self.paths, schemas: SnippetTests.problemSchema))
        let swift = SwiftCode.render(OperationsRenderer.render(document))
        #expect(swift.contains("        case ok([Swift.String])\n"))
        #expect(swift.contains("        case status4XX(status: Swift.Int, APIRuntime.ProblemDetails)\n"))
        #expect(swift.contains("        case `default`(status: Swift.Int)\n"))
        #expect(swift.contains("        public static let documentedStatuses = [200]\n"))
        #expect(swift.contains("case 400...499: self = .status4XX(status: problem.status.code, problem)"))
        #expect(swift.contains("""
                            case .status4XX(let status, let body):
                                guard (400...499).contains(status) else { return APIRuntime.ResponseEncoding.undocumented(status, options: options) }
                                return APIRuntime.ResponseEncoding.problem(status, body, options: options)
            """))
        #expect(swift.contains("""
                            case .default(let status):
                                guard (100...599).contains(status) else { return APIRuntime.ResponseEncoding.undocumented(status, options: options) }
                                return APIRuntime.ResponseEncoding.empty(status)
            """))
    }

    /// Found by compiling the large spec: `[]` alone has no type.
    @Test func anOperationWithOnlyRangesHasTypedEmptyStatuses() throws {
        let onlyRanges = Self.paths.replacingOccurrences(of: "        '200':\n          description: The items.", with: "        2XX:\n          description: The items.")
        #expect(onlyRanges != Self.paths)
        let swift = SwiftCode.render(OperationsRenderer.render(try load(makeSpec(paths: onlyRanges, schemas: SnippetTests.problemSchema))))
        #expect(swift.contains("        public static let documentedStatuses: [Swift.Int] = []\n"))
    }

    @Test func aPatternDocumentedTwiceIsAnError() {
        let twice = Self.paths.replacingOccurrences(of: "        default:\n          description: Anything else.", with: "        4xx:\n          description: Again.")
        #expect(twice != Self.paths)
        #expect(onlyDiagnostic(of: makeSpec(paths: twice, schemas: SnippetTests.problemSchema)) == "api.yaml:24:9: error: response '4XX' is documented twice")
    }
}
