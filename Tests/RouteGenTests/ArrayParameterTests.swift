import Testing
@testable import RouteGenCore

/// Array query parameters (`style: form`, `explode` true or false).
@Suite struct ArrayParameterTests {
    static func path(_ parameter: String) -> String {
        """
          /items/{id}:
            get:
              operationId: listItems
              parameters:
                - name: id
                  in: path
                  required: true
                  schema:
                    type: string
        \(parameter)
              responses:
                '204':
                  description: Nothing.
        """
    }

    static let tags = """
                - name: tag
                  in: query
                  explode: false
                  schema:
                    type: array
                    maxItems: 3
                    items:
                      type: integer
                      minimum: 1
        """

    @Test func anArrayQueryParameterIsATypedArrayReadByTheRouter() throws {
        let document = try load(makeSpec(paths: Self.path(Self.tags)))
        let operation = try #require(document.operations.first)
        #expect(OperationsRenderer.parameterType(operation.parameters[1], GeneratedNames(document)) == "[Swift.Int]?")
        let router = SwiftCode.render(RouterRenderer.render(document))
        #expect(router.contains("static let queryTag = APIRuntime.NumberRule(minimum: 1)"))
        #expect(router.contains(#"let queryTag = reader.integers("tag", InputRules.ListItems.queryTag, explode: false, required: false, maxItems: 3)"#))
    }

    @Test func arraysOutsideTheQueryAndOtherStylesAreReadPlainlyWithAWarning() {
        let header = Self.tags.replacingOccurrences(of: "in: query", with: "in: header").replacingOccurrences(of: "explode: false", with: "style: simple")
        #expect(warningsOrErrors(of: makeSpec(paths: Self.path(header)))
            == ["api.yaml:19:13: warning: parameter 'tag': an array in the header is read as one string, its items not split or checked"])
        let deep = Self.tags.replacingOccurrences(of: "explode: false", with: "style: deepObject")
        #expect(warningsOrErrors(of: makeSpec(paths: Self.path(deep)))
            == ["api.yaml:17:18: warning: parameter 'tag': 'style: deepObject' is not generated; it is read as 'style: form', the default of a query parameter"])
    }
}
