import ArgumentParser

/// `ChatBench codegen`: RouteGen's time on the spec.
struct CodegenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "codegen", abstract: "Time RouteGen (load and generate) on the spec; median of several runs.")

    @OptionGroup var options: CodegenOptions

    @Flag(help: "3 runs instead of --runs.")
    var quick = false

    @Flag(help: "Print JSON instead of the table.")
    var json = false

    func run() throws {
        var report = BenchReport(target: "–", threads: 1)
        report.codegen.append(try options.scenario(quick: quick).run())
        try BenchSession.print(report, json: json)
    }
}
