import RouteGenCore

/// The response headers the spec documents with a fixed value (`Cache-Control: no-store` on the
/// event stream), read from the raw YAML because RouteGen's model does not keep them.
struct DocumentedHeaders: Sendable {
    /// Constant header values by operation id, then status.
    private var constants: [String: [Int: [(name: String, value: String)]]] = [:]

    /// Reads `responses.<status>.headers.<name>.schema.const` (or a one-value `enum`) of every operation.
    init(spec root: YAMLNode, operations: [Operation]) {
        for operation in operations {
            guard let responses = root["paths"]?[operation.path]?[operation.method.lowercased()]?["responses"]?.pairs else { continue }
            for pair in responses {
                guard let status = Int(pair.key) else { continue }
                var response = pair.value
                if let reference = response["$ref"]?.scalar?.text, reference.hasPrefix("#/components/responses/") {
                    guard let target = root["components"]?["responses"]?[String(reference.dropFirst("#/components/responses/".count))] else {
                        continue
                    }
                    response = target
                }
                for header in response["headers"]?.pairs ?? [] {
                    let schema = header.value["schema"]
                    let value = schema?["const"]?.scalar?.text ?? (schema?["enum"]?.items?.count == 1 ? schema?["enum"]?.items?[0].scalar?.text : nil)
                    if let value { constants[operation.id, default: [:]][status, default: []].append((name: header.key, value: value)) }
                }
            }
        }
    }

    /// The fixed headers of one documented response.
    func constants(operation: String, status: Int) -> [(name: String, value: String)] {
        constants[operation]?[status] ?? []
    }
}
