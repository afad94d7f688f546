import APIRuntime
import ChatAPI
import HTTPServer
import Testing

/// The `Output` enums the build generated from the real `api.yaml`, made from problems.
@Suite struct GeneratedOutputTests {
    static func problem(_ status: HTTPStatus) -> ProblemDetails {
        ProblemDetails(kind: "some-kind", status: status, detail: "what happened")
    }

    @Test func aProblemBecomesTheCaseOfItsDocumentedStatus() throws {
        let forbidden = try #require(Operations.PostMessage.Output(problem: Self.problem(.forbidden)))
        guard case .forbidden(let carried) = forbidden else {
            Issue.record("expected .forbidden, got \(forbidden)")
            return
        }
        #expect(carried == Self.problem(.forbidden))
        guard case .conflict? = Operations.CreateLobby.Output(problem: Self.problem(.conflict)) else {
            Issue.record("createLobby documents 409")
            return
        }
    }

    @Test func aStatusTheOperationDoesNotDocumentGivesNil() {
        #expect(!Operations.PostMessage.Output.documentedStatuses.contains(409))
        #expect(Operations.PostMessage.Output(problem: Self.problem(.conflict)) == nil)
        #expect(Operations.Ping.Output(problem: Self.problem(.badRequest)) == nil)
        // 201 is documented, but not as a problem.
        #expect(Operations.PostMessage.Output(problem: Self.problem(.created)) == nil)
    }

    @Test func theCaseIsWrittenByTheRoutersEncoder() {
        let options = RouterOptions(problems: ProblemEncoder(typeBase: "urn:test:"))
        let response = Operations.GetLobby.Output.notFound(Self.problem(.notFound)).response(options)
        #expect(response.status.code == 404)
        #expect(response.headers["Content-Type"] == "application/problem+json")
        guard case .bytes(let bytes) = response.body else { return }
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix(#"{"type":"urn:test:some-kind","title":"Not Found""#))
    }
}
