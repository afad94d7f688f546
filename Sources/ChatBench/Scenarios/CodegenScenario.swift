import EventLoop
import Foundation
import RouteGenCore

/// RouteGen's time on a spec: load (YAML → model → validation) and generate (render Swift),
/// median of several runs after one warm-up.
struct CodegenScenario {
    /// The spec to generate from.
    let specPath: String
    /// Timed runs.
    let runs: Int

    /// Times the runs.
    func run() throws -> CodegenResult {
        guard let data = FileManager.default.contents(atPath: specPath) else {
            throw ScenarioFailure.specUnreadable(specPath)
        }
        var generatedBytes = 0
        _ = RouteGenerator.generate(try SpecLoader.load(path: specPath))
        var loads: [Double] = []
        var generates: [Double] = []
        var totals: [Double] = []
        for _ in 0..<max(1, runs) {
            let start = System.monotonicNanoseconds()
            let document = try SpecLoader.load(path: specPath)
            let loaded = System.monotonicNanoseconds()
            let files = RouteGenerator.generate(document)
            let generated = System.monotonicNanoseconds()
            generatedBytes = files.reduce(0) { $0 + $1.contents.utf8.count }
            loads.append(Double(loaded - start) / 1e6)
            generates.append(Double(generated - loaded) / 1e6)
            totals.append(Double(generated - start) / 1e6)
        }
        return CodegenResult(
            spec: specPath,
            specBytes: data.count,
            runs: totals.count,
            loadMedianMilliseconds: Self.median(loads),
            generateMedianMilliseconds: Self.median(generates),
            totalMedianMilliseconds: Self.median(totals),
            totalMinMilliseconds: totals.min() ?? 0,
            generatedBytes: generatedBytes)
    }

    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
