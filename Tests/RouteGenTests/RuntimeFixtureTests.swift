import Foundation
import Testing
@testable import RouteGenCore

/// A spec that uses multipart bodies, several media types, `anyOf`/`oneOf` without a
/// discriminator and recursive schemas, and what RouteGen makes of it, checked in under
/// `Tests/APIRuntimeTests/Generated/`. That target compiles the files (so the generated Swift is
/// known to build) and drives the router with real requests. Run with `UPDATE_RUNTIME_FIXTURE=1`
/// to rewrite them after an intended change.
@Suite struct RuntimeFixtureTests {
    static let spec = """
        openapi: 3.2.0
        info:
          title: Fixture
          version: '1'
        paths:
          /uploads:
            post:
              operationId: upload
              requestBody:
                required: true
                content:
                  multipart/form-data:
                    schema:
                      type: object
                      required: [title, file]
                      properties:
                        title:
                          type: string
                          minLength: 1
                        copies:
                          type: integer
                          minimum: 1
                        draft:
                          type: boolean
                        file:
                          type: string
                          format: binary
              responses:
                '201':
                  description: Stored.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Receipt'
          /notes:
            post:
              operationId: addNote
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Note'
                  text/plain:
                    schema:
                      type: string
                      maxLength: 20
              responses:
                '200':
                  description: The note, as JSON or as text.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Note'
                    text/plain:
                      schema:
                        type: string
          /trees:
            post:
              operationId: plantTree
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/TreeNode'
              responses:
                '200':
                  description: How many nodes it has.
                  content:
                    application/json:
                      schema:
                        type: integer
          /shapes:
            post:
              operationId: drawShape
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      $ref: '#/components/schemas/Drawing'
              responses:
                '200':
                  description: The drawing as read.
                  content:
                    application/json:
                      schema:
                        $ref: '#/components/schemas/Drawing'
        components:
          schemas:
            Receipt:
              type: object
              required: [title, filename, size]
              properties:
                title:
                  type: string
                filename:
                  type: string
                size:
                  type: integer
            Note:
              type: object
              required: [text]
              properties:
                text:
                  type: string
                  maxLength: 20
            TreeNode:
              type: object
              required: [name]
              properties:
                name:
                  type: string
                children:
                  type: array
                  items:
                    $ref: '#/components/schemas/TreeNode'
                parent:
                  $ref: '#/components/schemas/TreeNode'
                link:
                  $ref: '#/components/schemas/TreeLink'
            TreeLink:
              type: object
              required: [target]
              properties:
                target:
                  $ref: '#/components/schemas/TreeNode'
            Circle:
              type: object
              required: [radius]
              properties:
                radius:
                  type: number
            Square:
              type: object
              required: [side]
              properties:
                side:
                  type: number
            Shape:
              oneOf:
                - $ref: '#/components/schemas/Circle'
                - $ref: '#/components/schemas/Square'
            Drawing:
              type: object
              required: [shape]
              properties:
                shape:
                  $ref: '#/components/schemas/Shape'
                label:
                  anyOf:
                    - type: string
                    - type: integer
                    - type: 'null'
        """

    /// `Tests/APIRuntimeTests/Generated`.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("APIRuntimeTests/Generated")

    static let fileNames = ["Types.swift", "Operations.swift", "Handler.swift", "Router.swift"]

    @Test(arguments: fileNames)
    func theCompiledFixtureIsWhatRouteGenWrites(_ name: String) throws {
        let document = try load(Self.spec)
        let generated = try #require(RouteGenerator.generate(document, specName: "fixture.yaml").first { $0.name == name })
        let path = Self.directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_RUNTIME_FIXTURE"] == "1" {
            try Data(generated.contents.utf8).write(to: path)
        }
        let expected = try #require(FileManager.default.contents(atPath: path.path), "\(path.path) is missing")
        #expect(firstDifference(snapshot: Array(expected), generated: Array(generated.contents.utf8)) == nil,
                "\(name) differs from what RouteGen writes; run with UPDATE_RUNTIME_FIXTURE=1 if intended")
    }
}
