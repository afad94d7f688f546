import Foundation
import Testing
@testable import RouteGenCore

/// The repository's own `api.yaml` through the generator.
@Suite struct RealSpecTests {
    @Test func loadsWithoutDiagnosticsAndHasEveryContractRoute() throws {
        let document = try SpecLoader.load(path: realSpecPath)
        let routes = Set(document.operations.map { "\($0.method) \($0.path)" })
        let contract = [
            "GET /chat/ping", "POST /chat/user", "GET /chat/users", "POST /chat", "GET /chat", "GET /chat/{room}",
            "POST /chat/{room}/join", "POST /chat/{room}/leave", "POST /chat/{room}/message",
            "GET /chat/{room}/messages", "GET /chat/{room}/members", "GET /events/{room}", "GET /openapi.yaml", "GET /",
            "GET /healthz", "GET /readyz", "GET /metrics",
        ]
        #expect(routes == Set(contract))
    }

    @Test func generationIsDeterministic() throws {
        let document = try SpecLoader.load(path: realSpecPath)
        #expect(RouteGenerator.generate(document) == RouteGenerator.generate(document))
        #expect(RouteGenerator.generate(document).map(\.name) == RouteGenerator.fileNames)
    }

    @Test func filesAreRewrittenOnlyWhenTheirBytesChange() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("routegen-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try RouteGenerator.run(specPath: realSpecPath, outputDirectory: directory) == RouteGenerator.fileNames)
        #expect(try RouteGenerator.run(specPath: realSpecPath, outputDirectory: directory) == [])
    }

    @Test func anOperationAddedToACopyOfTheSpecAddsAProtocolMethod() throws {
        let original = try String(contentsOfFile: realSpecPath, encoding: .utf8)
        let added = """
              /chat/{room}/topic:
                get:
                  operationId: getTopic
                  summary: The lobby's topic.
                  parameters:
                    - name: room
                      in: path
                      required: true
                      schema:
                        type: string
                  responses:
                    '200':
                      description: The topic.
                      content:
                        text/plain:
                          schema:
                            type: string

            """
        let copy = original.replacingOccurrences(of: "\npaths:\n", with: "\npaths:\n" + added)
        #expect(copy != original)
        let before = try SpecLoader.load(path: realSpecPath)
        let after = try SpecLoader.load(text: copy, file: "copy.yaml")
        #expect(after.operations.count == before.operations.count + 1)
        let handler = RouteGenerator.generate(after).first { $0.name == "Handler.swift" }?.contents ?? ""
        #expect(handler.contains("func getTopic(_ input: Operations.GetTopic.Input) async throws -> Operations.GetTopic.Output"))
        let originalHandler = RouteGenerator.generate(before).first { $0.name == "Handler.swift" }?.contents ?? ""
        #expect(!originalHandler.contains("getTopic"))
    }
}
