import Foundation
import Testing
@testable import RouteGenCore

/// Generation stays roughly linear in the document: a spec four times larger takes about four
/// times as long, never sixteen (what one quadratic step, such as a lookup by name in a list or a
/// reachability search per schema, makes of it).
@Suite struct GenerationScalingTests {
    /// `count` object schemas in a chain (each refers to the one before, so every schema reaches
    /// all earlier ones), each with an enum, an inline object and an array; and a GET and a POST
    /// of every fourth.
    static func spec(schemas count: Int) -> String {
        var paths = ""
        var schemas = ""
        for index in 0..<count {
            schemas += """
                    S\(index):
                      type: object
                      required: [id]
                      properties:
                        id:
                          type: integer
                        kind:
                          type: string
                          enum: [a, b]
                        meta:
                          type: object
                          properties:
                            note:
                              type: string
                        tags:
                          type: array
                          items:
                            type: string

                """
            if index > 0 { schemas += "            previous:\n              $ref: '#/components/schemas/S\(index - 1)'\n" }
            guard index % 4 == 0 else { continue }
            paths += """
                  /s\(index)/{id}:
                    parameters:
                      - name: id
                        in: path
                        required: true
                        schema:
                          type: integer
                    get:
                      operationId: get\(index)
                      responses:
                        '200':
                          description: OK
                          content:
                            application/json:
                              schema:
                                $ref: '#/components/schemas/S\(index)'
                    post:
                      operationId: post\(index)
                      requestBody:
                        content:
                          application/json:
                            schema:
                              $ref: '#/components/schemas/S\(index)'
                      responses:
                        '204':
                          description: Done.

                """
        }
        return "openapi: 3.1.0\ninfo:\n  title: Scale\n  version: '1'\npaths:\n" + paths + "components:\n  schemas:\n" + schemas
    }

    /// The least of three runs of loading and generating `text`.
    static func time(_ text: String) throws -> Duration {
        var best = Duration.seconds(1000)
        for _ in 0..<3 {
            let started = ContinuousClock.now
            let document = try SpecLoader.load(text: text, file: "scale.yaml")
            _ = RouteGenerator.generate(document, specName: "scale.yaml")
            best = min(best, ContinuousClock.now - started)
        }
        return best
    }

    @Test func fourTimesTheSchemasTakeAboutFourTimesAsLong() throws {
        let small = Self.spec(schemas: 250)
        let large = Self.spec(schemas: 1000)
        #expect(try load(small).schemas.count >= 150)
        let ratio = try Self.time(large) / Self.time(small)
        // Linear is 4 (3.5 measured); a quadratic step makes up to 16 (an index rebuilt at each
        // inline schema made 7 at 150 and 600). Generous for a shared machine.
        #expect(ratio < 7, "1000 schemas took \(ratio) times as long as 250")
    }
}
