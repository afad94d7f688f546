@testable import ConformanceKit
import RouteGenCore
import Testing

/// Every documented exchange has its own case id, even when two responses of one operation
/// name their examples alike (the public OAI example does): the later is numbered.
@Suite struct ExampleExchangeNamingTests {
    static let spec = """
        openapi: 3.1.0
        info:
          title: Versions
          version: '1'
        paths:
          /:
            get:
              operationId: listVersions
              responses:
                '200':
                  description: The versions.
                  content:
                    application/json:
                      examples:
                        foo:
                          value: {versions: [v1]}
                '300':
                  description: Pick one.
                  content:
                    application/json:
                      examples:
                        foo:
                          value: {versions: [v2]}
                        foo_2:
                          value: {versions: [v3]}
        """

    @Test func examplesOfOneNameInTwoResponsesAreNumberedCasesEachWithItsResponse() throws {
        let spec = try ConformanceSpec.load(text: Self.spec, path: "versions.yaml").get()
        #expect(spec.exchanges.map(\.id) == ["listVersions.foo", "listVersions.foo_2", "listVersions.foo_2_2"])
        #expect(spec.exchanges.map(\.response.status) == [200, 300, 300])
        let versions = { (version: String) in JSON.object([(key: "versions", value: .array([.string(version)]))]) }
        #expect(spec.exchanges.map(\.expected) == [versions("v1"), versions("v2"), versions("v3")])
    }
}
