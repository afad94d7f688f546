import Foundation
import RouteGenCore

/// The spec as the suite reads it at test time, with the project's own loader: the document, its
/// `x-conformance` section, the documented exchanges and the fixed response headers. Loaded once.
struct ConformanceSpec: Sendable {
    /// The api.yaml that was read.
    let path: String
    let document: APIDocument
    let section: ConformanceSection
    let exchanges: [ExampleExchange]
    let headers: DocumentedHeaders
    /// The shared response each operation's status refers to.
    let references: ResponseReferences
    let operations: OperationIndex

    /// The package's spec, or every reason it could not be read (as `api.yaml:L:C: error: …`).
    static let shared: Result<ConformanceSpec, LoadFailure> = load(path: defaultPath)

    /// The schema of every event stream's `data` (the `contentSchema` of its `itemSchema`).
    var eventSchema: Schema? {
        for operation in document.operations {
            for response in operation.responses {
                if case .eventStream(let schema)? = response.content { return schema }
            }
        }
        return nil
    }

    /// The spec, if it loaded.
    static var loaded: ConformanceSpec? { try? shared.get() }

    /// Why the spec or its `x-conformance` section could not be used.
    struct LoadFailure: Error, Sendable, CustomStringConvertible {
        var messages: [String]
        var description: String { messages.joined(separator: "\n") }
    }

    /// `CONFORMANCE_SPEC` when set (another server's spec, such as the Bookshelf example's),
    /// else `api.yaml` at the root of the package this file belongs to.
    static var defaultPath: String {
        if let path = ProcessInfo.processInfo.environment["CONFORMANCE_SPEC"], !path.isEmpty { return path }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<8 {
            let candidate = directory.appendingPathComponent("api.yaml")
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path),
                FileManager.default.fileExists(atPath: candidate.path)
            {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        return "api.yaml"
    }

    /// Loads and checks the spec at `path`.
    static func load(path: String) -> Result<ConformanceSpec, LoadFailure> {
        load(path: path) { () throws(RouteGenFailure) in try SpecLoader.load(path: path) }
    }

    /// Loads and checks `text` (an embedded spec) as the spec named `path` in diagnostics.
    static func load(text: String, path: String) -> Result<ConformanceSpec, LoadFailure> {
        load(path: path) { () throws(RouteGenFailure) in try SpecLoader.load(text: text, file: path) }
    }

    private static func load(path: String, _ read: () throws(RouteGenFailure) -> APIDocument) -> Result<ConformanceSpec, LoadFailure> {
        let document: APIDocument
        let root: YAMLNode
        do {
            document = try read()
            root = try YAMLLoader.load(document.sourceText)
        } catch let failure as RouteGenFailure {
            return .failure(LoadFailure(messages: failure.diagnostics.map(\.description)))
        } catch {
            return .failure(LoadFailure(messages: ["\(path): \(error)"]))
        }
        var reader = ConformanceSectionReader(document: document, file: path)
        let section = reader.read()
        let references = ResponseReferences(spec: root, operations: document.operations)
        let (exchanges, unpaired) = ExampleExchange.all(in: document, section: section, references: references)
        let shared = Set(root["components"]?["responses"]?.pairs?.map(\.key) ?? [])
        let strays = section.unprovoked.keys.sorted().filter { !shared.contains($0) }
            .map { "\(path): error: x-conformance.unprovoked names '\($0)', which is no response under components/responses" }
        // A spec written for the judge (with `x-conformance`) pairs every request example with a
        // response example; in anyone else's spec an unpaired one is simply not a case.
        let unpairedErrors = document.conformance == nil ? [] : unpaired.map { "\(path): error: \($0)" }
        let messages = reader.diagnostics.sorted.map(\.description) + unpairedErrors + strays
        guard messages.isEmpty else { return .failure(LoadFailure(messages: messages)) }
        return .success(
            ConformanceSpec(
                path: path, document: document, section: section, exchanges: exchanges,
                headers: DocumentedHeaders(spec: root, operations: document.operations),
                references: references,
                operations: OperationIndex(operations: document.operations)))
    }
}
