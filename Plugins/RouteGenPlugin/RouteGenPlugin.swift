import Foundation
import PackagePlugin

/// Runs RouteGen on the spec of the target it is applied to: `openapi.yaml` or `api.yaml` in the
/// target's folder, else `api.yaml` at the package root.
///
/// It only wires files: finds the input, declares the outputs, runs the tool. The tool
/// rewrites an output only when its bytes change, so builds stay incremental.
@main
struct RouteGenPlugin: BuildToolPlugin {
    /// The files RouteGen writes; it always writes all of them.
    static let outputNames = ["Types.swift", "Operations.swift", "Handler.swift", "Router.swift", "Spec.swift"]
    /// The spec's file names, looked for in this order in the target's folder.
    static let specNames = ["openapi.yaml", "api.yaml"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        // The target's own files, as SwiftPM lists them (the spec is not a source, so it is one
        // of the files handed to plugins); `Target.directoryURL` needs tools 6.1.
        let ownFiles = (target as? SourceModuleTarget)?.sourceFiles.map(\.url) ?? []
        let ownSpec = Self.specNames.lazy.compactMap { name in ownFiles.first { $0.lastPathComponent == name } }.first
        let rootSpec = context.package.directoryURL.appending(path: "api.yaml")
        let spec: URL
        if let ownSpec {
            spec = ownSpec
        } else if FileManager.default.fileExists(atPath: rootSpec.path(percentEncoded: false)) {
            spec = rootSpec
        } else {
            throw RouteGenPluginError.noSpec(target: target.name, searched: Self.specNames + [rootSpec.path(percentEncoded: false)])
        }
        let outputDirectory = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let tool = try context.tool(named: "RouteGen")
        return [
            .buildCommand(
                displayName: "RouteGen \(spec.lastPathComponent) → \(target.name)",
                executable: tool.url,
                arguments: [spec.path(percentEncoded: false), outputDirectory.path(percentEncoded: false)],
                inputFiles: [spec],
                outputFiles: Self.outputNames.map { outputDirectory.appending(path: $0) }
            )
        ]
    }
}

/// Why the plugin could not set up the build.
enum RouteGenPluginError: Error, CustomStringConvertible {
    /// None of the places a spec may be holds one (file names in the target, then a path).
    case noSpec(target: String, searched: [String])

    var description: String {
        switch self {
        case .noSpec(let target, let searched):
            "RouteGen found no spec for target '\(target)'; looked for \(searched.joined(separator: ", "))"
        }
    }
}
