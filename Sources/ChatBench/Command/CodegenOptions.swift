import ArgumentParser

/// The sizes of the codegen scenario.
struct CodegenOptions: ParsableArguments {
    @Option(help: "The OpenAPI document to generate from.")
    var spec = "./api.yaml"

    @Option(help: "Timed runs (after one warm-up); the median is reported.")
    var runs = 9

    func validate() throws {
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }

    /// The scenario, with 3 runs under `--quick`.
    func scenario(quick: Bool) -> CodegenScenario {
        CodegenScenario(specPath: spec, runs: quick ? 3 : runs)
    }
}
