import Foundation
import RouteGenCore

// RouteGen SPEC OUTPUT_DIRECTORY
// Generates the Swift for an OpenAPI 3.2 spec; diagnostics go to standard error in the
// `file:line:column: error: message` form that compilers use, and any error exits 1.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: RouteGen <api.yaml> <output-directory>\n".utf8))
    exit(2)
}
do {
    let started = ContinuousClock.now
    let written = try RouteGenerator.run(specPath: arguments[1], outputDirectory: arguments[2]) { warning in
        FileHandle.standardError.write(Data((warning.description + "\n").utf8))
    }
    let elapsed = ContinuousClock.now - started
    if ProcessInfo.processInfo.environment["ROUTEGEN_VERBOSE"] != nil {
        print("RouteGen: \(written.isEmpty ? "no file changed" : "wrote " + written.joined(separator: ", ")) in \(elapsed)")
    }
} catch let failure as RouteGenFailure {
    FileHandle.standardError.write(Data((failure.description + "\n").utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("\(arguments[1]):1:1: error: \(error)\n".utf8))
    exit(1)
}
