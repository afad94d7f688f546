import Foundation
import Testing
@testable import RouteGenCore

/// RouteGen's largest test spec, `Examples/Large/Sources/LargeAPI/openapi.yaml` (written by
/// `Examples/Large/make-spec.py`): 120 operations mixing the features, read and generated here;
/// the package around it is what BENCHMARKS.md compiles.
@Suite struct LargeSpecTests {
    static let path = URL(fileURLWithPath: realSpecPath).deletingLastPathComponent()
        .appendingPathComponent("Examples/Large/Sources/LargeAPI/openapi.yaml").path

    @Test func itHasAtLeastAHundredOperationsAndGeneratesQuickly() throws {
        let started = ContinuousClock.now
        let document = try SpecLoader.load(path: Self.path)
        let files = RouteGenerator.generate(document, specName: "openapi.yaml")
        let elapsed = ContinuousClock.now - started
        #expect(document.operations.count >= 100)
        #expect(document.warnings.isEmpty)
        #expect(files.map(\.name) == RouteGenerator.fileNames)
        // Generous for a shared 2-core machine in debug; the measured figure is in BENCHMARKS.md.
        #expect(elapsed < .seconds(10))
    }
}
