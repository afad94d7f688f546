import Foundation
import Testing
@testable import RouteGenCore

/// Generation stays roughly linear in the document: a spec eight times larger takes about eight
/// times as long, never sixty-four (what one quadratic step, such as a lookup by name in a list or a
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

    /// The least CPU time of this thread over two runs of loading and generating `text`: other
    /// processes and parallel tests on the machine do not count in it.
    static func cpuTime(_ text: String) throws -> Double {
        var best = Double.infinity
        for _ in 0..<2 {
            let started = threadCPUSeconds()
            let document = try SpecLoader.load(text: text, file: "scale.yaml")
            _ = RouteGenerator.generate(document, specName: "scale.yaml")
            best = min(best, threadCPUSeconds() - started)
        }
        return best
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    @Test func eightTimesTheSchemasTakeAboutEightTimesAsLong() throws {
        let small = Self.spec(schemas: 200)
        let large = Self.spec(schemas: 1600)
        #expect(try load(small).schemas.count >= 200)
        let ratio = try Self.cpuTime(large) / Self.cpuTime(small)
        // Linear is 8 (8.1 measured); a quadratic step makes up to 64 (an index rebuilt at each
        // inline schema made 32).
        #expect(ratio < 16, "1600 schemas took \(ratio) times as long as 200")
    }
}
