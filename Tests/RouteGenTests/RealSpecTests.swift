import ChatAPI
import Foundation
import Testing
@testable import RouteGenCore

/// The repository's own `api.yaml` through the generator.
@Suite struct RealSpecTests {
    /// Every `method path` the spec's `paths` holds, read from the YAML tree itself (not through
    /// the model), so that a route the model drops, or one it invents, shows.
    static func routesInTheSpecText() throws -> Set<String> {
        let root = try YAMLLoader.load(String(contentsOfFile: realSpecPath, encoding: .utf8))
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"]
        var routes: Set<String> = []
        for path in root["paths"]?.pairs ?? [] {
            for field in path.value.pairs ?? [] where methods.contains(field.key) {
                routes.insert("\(field.key.uppercased()) \(path.key)")
            }
        }
        return routes
    }

    /// What one set has that the other lacks, for a failure message that shows only the difference.
    static func difference(_ name: String, _ actual: Set<String>, expected: Set<String>) -> Comment {
        "\(name): missing \(expected.subtracting(actual).sorted()), unexpected \(actual.subtracting(expected).sorted())"
    }

    @Test func loadsEveryRouteOfTheSpec() throws {
        let document = try SpecLoader.load(path: realSpecPath)
        let routes = Set(document.operations.map { "\($0.method) \($0.path)" })
        let expected = try Self.routesInTheSpecText()
        #expect(!expected.isEmpty)
        #expect(routes == expected, Self.difference("routes", routes, expected: expected))
    }

    @Test func theCompiledRouterNamesEveryOperationOfTheSpec() throws {
        let document = try SpecLoader.load(path: realSpecPath)
        let compiled = Set(OperationID.allCases.map(\.rawValue))
        let expected = Set(document.operations.map(\.id))
        #expect(compiled == expected, Self.difference("operations", compiled, expected: expected))
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
