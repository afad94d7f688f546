import PackagePlugin

/// Runs RouteGen on the package's `api.yaml` for the target it is applied to.
///
/// It only wires files: finds the input, declares the outputs, runs the tool. The tool
/// rewrites an output only when its bytes change, so builds stay incremental.
@main
struct RouteGenPlugin: BuildToolPlugin {
    /// The files RouteGen writes; it always writes all of them.
    static let outputNames = ["Types.swift", "Operations.swift", "Handler.swift", "Router.swift", "Spec.swift"]

    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let spec = context.package.directoryURL.appending(path: "api.yaml")
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
