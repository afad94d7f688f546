import Foundation
import Testing
@testable import RouteGenCore

/// The public OpenAPI documents of `../shared/openapi-corpus/`: each generates without an error.
/// With `CORPUS_PACKAGE=DIR` set, the test also writes a throwaway package there (one target per
/// document, plus `CorpusServe`) that `scripts/corpus-check` compiles and runs: it serves one
/// documented response of one operation of each over a loopback socket and checks it on the wire.
@Suite struct CorpusTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/openapi-corpus")

    static var documents: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted().map { corpusDirectory.appendingPathComponent($0) }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.documents.count >= 12)
    }

    @Test(arguments: documents)
    func generatesWithoutAnError(document url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        do {
            let document = try SpecLoader.load(text: text, file: url.lastPathComponent)
            #expect(!RouteGenerator.generate(document, specName: url.lastPathComponent).isEmpty)
        } catch {
            Issue.record("\(url.lastPathComponent) is refused:\n\(error)")
        }
    }

    /// Writes the package `scripts/corpus-check` builds, when it asks for one.
    @Test func writesTheServeCheckPackage() throws {
        guard let directory = ProcessInfo.processInfo.environment["CORPUS_PACKAGE"], !directory.isEmpty else { return }
        let root = URL(fileURLWithPath: directory)
        let runtime = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var modules: [String] = []
        for url in Self.documents {
            let document = try SpecLoader.load(text: try String(contentsOf: url, encoding: .utf8), file: url.lastPathComponent)
            let module = "Corpus" + SwiftNames.type(url.deletingPathExtension().lastPathComponent)
            let sources = root.appendingPathComponent("Sources/\(module)")
            try FileManager.default.createDirectory(at: sources, withIntermediateDirectories: true)
            let files = RouteGenerator.generate(document, specName: url.lastPathComponent)
            for file in files {
                try Data(file.contents.utf8).write(to: sources.appendingPathComponent(file.name))
            }
            let handler = files.first { $0.name == "Handler.swift" }!.contents
            try Data(ServeCheckWriter.source(document, handler: handler, document: url.lastPathComponent).utf8)
                .write(to: sources.appendingPathComponent("ServeCheck.swift"))
            modules.append(module)
        }
        let serve = root.appendingPathComponent("Sources/CorpusServe")
        try FileManager.default.createDirectory(at: serve, withIntermediateDirectories: true)
        try Data(ServeCheckWriter.main(modules).utf8).write(to: serve.appendingPathComponent("main.swift"))
        try Data(ServeCheckWriter.package(modules, runtime: runtime.path).utf8).write(to: root.appendingPathComponent("Package.swift"))
    }
}
