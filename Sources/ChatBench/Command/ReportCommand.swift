import ArgumentParser
import Foundation

/// `ChatBench report a.json b.json …`: one set of tables from the `--json` output of several runs.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Merge the --json output of several runs into one set of tables.")

    @Argument(help: "Files written with --json.")
    var files: [String]

    @Flag(help: "Print the merged JSON instead of the tables.")
    var json = false

    func run() throws {
        var merged: BenchReport?
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let report = try JSONDecoder().decode(BenchReport.self, from: data)
            if merged == nil {
                merged = report
            } else {
                merged?.merge(report)
            }
        }
        guard let merged else { throw ValidationError("no files") }
        try BenchSession.print(merged, json: json)
    }
}
