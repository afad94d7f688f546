import Testing
@testable import RouteGenCore

/// Response headers: fixed ones (`const`) written by the router, the others typed values in the
/// `Output` case; `$ref`s to `components.headers`.
@Suite struct ResponseHeaderTests {
    static let paths = """
          /items:
            get:
              operationId: listItems
              responses:
                '200':
                  description: The items.
                  headers:
                    X-Total:
                      $ref: '#/components/headers/Total'
                    ETag:
                      schema:
                        type: string
                    Cache-Control:
                      schema:
                        type: string
                        const: no-cache
                  content:
                    text/plain:
                      schema:
                        type: string
        """
    static let components = "\n  headers:\n    Total:\n      required: true\n      schema:\n        type: integer\n"

    /// `paths` with `components.headers.Total`.
    static func spec(_ paths: String = paths) -> String {
        makeSpec(paths: paths, schemas: "    Unused:\n      type: object\n") + components
    }

    static func operations(_ paths: String = paths) throws -> String {
        SwiftCode.render(OperationsRenderer.render(try load(spec(paths))))
    }

    @Test func typedHeadersAreCarriedByTheCaseAndWritten() throws {
        let swift = try Self.operations()
        #expect(swift.contains("            case ok(Swift.String, headers: OkHeaders)\n"))
        #expect(swift.contains("public struct OkHeaders: Swift.Sendable, Swift.Hashable {"))
        #expect(swift.contains("public var xTotal: Swift.Int\n"))
        #expect(swift.contains("public var eTag: Swift.String?\n"))
        #expect(swift.contains("public init(xTotal: Swift.Int, eTag: Swift.String? = nil) {"))
        #expect(swift.contains("""
                            case .ok(let body, let headers):
                                var response = APIRuntime.ResponseEncoding.text(200, body, contentType: "text/plain")
                                response.headers.set("X-Total", Swift.String(headers.xTotal))
                                if let value = headers.eTag { response.headers.set("ETag", value) }
                                response.headers.set("Cache-Control", "no-cache")
                                return response
            """))
    }

    @Test func contentTypeAndArrayHeadersAreWarnings() throws {
        let contentType = Self.paths.replacingOccurrences(of: "ETag:", with: "Content-Type:")
        let document = try load(Self.spec(contentType))
        #expect(document.warnings.map(\.description) == ["api.yaml:15:13: warning: header 'Content-Type' is ignored: the media type of the content sets it"])
        let array = Self.paths.replacingOccurrences(of: "ETag:\n              schema:\n                type: string", with: "ETag:\n              schema:\n                type: array\n                items:\n                  type: string")
        #expect(array != Self.paths)
        #expect(warningsOrErrors(of: Self.spec(array)) == ["api.yaml:17:17: warning: header 'ETag' is an array: it is not generated, the handler cannot set it"])
    }

    @Test func headersThatMeetInSwiftAreNumberedMembersWrittenUnderTheirOwnNames() throws {
        let paths = Self.paths.replacingOccurrences(of: "ETag:", with: "X-Rate-Limit:")
            .replacingOccurrences(of: "Cache-Control:", with: "x-rate-limit-:\n              schema:\n                type: integer\n            Cache-Control:")
        #expect(warningsOrErrors(of: Self.spec(paths)).isEmpty)
        let swift = try Self.operations(paths)
        #expect(swift.contains("public var xRateLimit: Swift.String?\n"))
        #expect(swift.contains("public var xRateLimit_2: Swift.Int?\n"))
        #expect(swift.contains("public init(xTotal: Swift.Int, xRateLimit: Swift.String? = nil, xRateLimit_2: Swift.Int? = nil) {"))
        #expect(swift.contains(#"if let value = headers.xRateLimit { response.headers.set("X-Rate-Limit", value) }"#))
        #expect(swift.contains(#"if let value = headers.xRateLimit_2 { response.headers.set("x-rate-limit-", Swift.String(value)) }"#))
    }

    @Test func aHeaderNamedAgainInOtherCaseIsNumberedWithAWarning() throws {
        let paths = Self.paths.replacingOccurrences(of: "ETag:", with: "x-total:")
        #expect(warningsOrErrors(of: Self.spec(paths)) == [
            "api.yaml:15:13: warning: header 'x-total' of response 200 is 'X-Total' again (header names ignore case): set, it replaces the earlier one's value",
        ])
        #expect(try Self.operations(paths).contains("public init(xTotal: Swift.Int, xTotal_2: Swift.String? = nil) {"))
    }
}
