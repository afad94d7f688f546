import Foundation
@testable import RouteGenCore

/// The repository's `api.yaml`.
let realSpecPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("api.yaml").path

/// The diagnostics a spec produces (empty when it loads).
func diagnostics(of yaml: String) -> [Diagnostic] {
    do {
        _ = try SpecLoader.load(text: yaml, file: "api.yaml")
        return []
    } catch {
        return error.diagnostics
    }
}

/// The one diagnostic a spec produces, as the compiler-style line.
func onlyDiagnostic(of yaml: String) -> String? {
    let found = diagnostics(of: yaml)
    return found.count == 1 ? found[0].description : found.map(\.description).joined(separator: " | ")
}

/// A valid spec around `paths` and `schemas` (each already indented for its place).
func makeSpec(paths: String, schemas: String = "") -> String {
    """
    openapi: 3.2.0
    info:
      title: Test
      version: '1'
    paths:
    \(paths)
    """ + (schemas.isEmpty ? "" : "\ncomponents:\n  schemas:\n" + schemas)
}

/// A loaded document, failing the test with its diagnostics otherwise.
func load(_ yaml: String) throws -> APIDocument {
    try SpecLoader.load(text: yaml, file: "api.yaml")
}

/// A spec whose one operation, `GET /items`, takes the query parameter `q` of `schema` (each
/// line indented for a parameter's schema).
func makeSpec(queryParameterSchema schema: String) -> String {
    makeSpec(paths: """
          /items:
            get:
              parameters:
                - name: q
                  in: query
                  schema:
        \(schema)
              responses:
                '204':
                  description: Nothing.
        """)
}

/// The warnings of a spec that loads, as compiler-style lines; its errors instead when it does not.
func warningsOrErrors(of yaml: String) -> [String] {
    do {
        return try SpecLoader.load(text: yaml, file: "api.yaml").warnings.map(\.description)
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// Each schema of `document` as RouteGen writes it, its type then its rule, without the
/// `Components.Schemas` around the types (`NamespaceTests` checks that), so a snippet reads at
/// its own indentation.
func renderedSchemas(_ document: APIDocument) -> String {
    let names = GeneratedNames(document)
    return document.schemas.map { entry in
        let rendered = TypesRenderer.render(name: entry.name, schema: entry.schema, in: document, names: names)
        return SwiftCode.render([rendered.type, .blank, rendered.rule])
    }.joined(separator: "\n")
}
