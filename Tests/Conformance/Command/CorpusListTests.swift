@testable import ConformanceKit
import Foundation
import Testing

/// The judge reads what the generator reads: `ChatConformance --spec DOC --list` works on every
/// public document of `../shared/openapi-corpus/`, written without the judge in mind (no
/// `x-conformance`; their documented examples, when paired, are the cases).
@Suite struct CorpusListTests {
    static var documents: [String] {
        let directory = CommandProcess.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/openapi-corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { directory.appendingPathComponent($0).path }
    }

    @Test(arguments: documents)
    func listsTheCasesOf(document: String) async throws {
        let listed = try await CommandProcess.run(["--spec", document, "--list"])
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(listed.output.split(separator: "\n").allSatisfy { $0.hasPrefix("example/") || $0.hasPrefix("scenario/") })
    }

    @Test func theCorpusIsThere() {
        #expect(Self.documents.count >= 12)
    }

    @Test func aDocumentWithPairedExamplesListsThem() async throws {
        let document = try #require(Self.documents.first { $0.hasSuffix("oai-api-with-examples.yaml") })
        let listed = try await CommandProcess.run(["--spec", document, "--list"])
        let cases = listed.output.split(separator: "\n")
        // Its 200 and 300 responses both have an example `foo`: two cases, the later numbered.
        #expect(cases.contains("example/listVersionsv2.foo"))
        #expect(cases.contains("example/listVersionsv2.foo_2"))
        #expect(Set(cases).count == cases.count, "a case is listed twice: \(cases)")
    }
}
