import Foundation

/// Loads a spec file into an `APIDocument`: YAML first, then the model, with every problem
/// reported as a diagnostic at its line and column.
public enum SpecLoader {
    /// Loads `text` as the spec named `file` (the name diagnostics use).
    public static func load(text: String, file: String) throws(RouteGenFailure) -> APIDocument {
        let root: YAMLNode
        do {
            root = try YAMLLoader.load(text)
        } catch {
            throw RouteGenFailure([Diagnostic(.error, file: file, at: error.location, error.message)])
        }
        var reader = SpecReader(file: file)
        let document = reader.readDocument(root, sourceText: text)
        guard var document, !reader.diagnostics.hasErrors else {
            throw RouteGenFailure(reader.diagnostics.sorted)
        }
        document.warnings = reader.diagnostics.sorted
        return document
    }

    /// Loads the spec at `path`.
    public static func load(path: String) throws(RouteGenFailure) -> APIDocument {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw RouteGenFailure([Diagnostic(.unreadableFile, file: path, at: SourceLocation(line: 1, column: 1))])
        }
        return try load(text: text, file: path)
    }
}
