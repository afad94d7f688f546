import Testing
@testable import RouteGenCore

/// A `components.responses` entry that operations name by `$ref` and that has typed headers:
/// its `Headers` is written once in `Components.Responses`, and every operation's case carries it.
@Suite struct SharedResponseTests {
    static let spec = makeSpec(paths: """
          /items:
            get:
              operationId: listItems
              responses:
                '204':
                  description: Nothing.
                '429':
                  $ref: '#/components/responses/rate-limited'
            post:
              operationId: addItem
              responses:
                '204':
                  description: Added.
                '429':
                  $ref: '#/components/responses/rate-limited'
                '503':
                  $ref: '#/components/responses/RateLimited'
                '500':
                  $ref: '#/components/responses/Plain'
        """) + """

        components:
          responses:
            rate-limited:
              description: Too many.
              headers:
                Retry-After:
                  schema:
                    type: integer
                Cache-Control:
                  schema:
                    type: string
                    const: no-store
            RateLimited:
              description: Busy.
              headers:
                Retry-After:
                  required: true
                  schema:
                    type: integer
            Plain:
              description: Without headers.
        """

    @Test func theHeadersAreOneTypeThatEveryCaseCarriesAndThatWritesThem() throws {
        let document = try load(Self.spec)
        let types = SwiftCode.render(TypesRenderer.render(document))
        let operations = SwiftCode.render(OperationsRenderer.render(document))
        #expect(types.contains("    public enum Responses {\n        /// Too many.\n        public enum RateLimited {\n"))
        #expect(types.components(separatedBy: "public struct Headers: Swift.Sendable, Swift.Hashable {").count == 3)
        #expect(types.contains("""
                            public func write(to response: inout APIRuntime.HTTPResponse) {
                                if let value = self.retryAfter { response.headers.set("Retry-After", Swift.String(value)) }
                                response.headers.set("Cache-Control", "no-store")
                            }
            """))
        // The two names meet in Swift: the later is numbered, as schemas are.
        #expect(types.contains("        /// Busy.\n        public enum RateLimited_2 {\n"))
        #expect(types.contains("response.headers.set(\"Retry-After\", Swift.String(self.retryAfter))"))
        #expect(operations.components(separatedBy: "case tooManyRequests(headers: Components.Responses.RateLimited.Headers)").count == 3)
        #expect(operations.contains("case serviceUnavailable(headers: Components.Responses.RateLimited_2.Headers)"))
        #expect(operations.contains("case .tooManyRequests(let headers):\n                    var response = APIRuntime.ResponseEncoding.empty(429)\n                    headers.write(to: &response)\n"))
        #expect(!operations.contains("struct TooManyRequestsHeaders"))
        // A referenced response without headers has nothing to share.
        #expect(operations.contains("case internalServerError\n"))
        #expect(!types.contains("enum Plain"))
    }
}
