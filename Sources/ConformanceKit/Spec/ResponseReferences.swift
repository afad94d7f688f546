import RouteGenCore

/// Which shared response (`#/components/responses/Name`) each operation's status refers to, read
/// from the raw YAML because RouteGen's model resolves references away. Coverage uses it to
/// leave out the shared responses `x-conformance.unprovoked` names.
struct ResponseReferences: Sendable {
    /// Component names by operation id, then status key (`429`, `4XX`, `default`).
    private var names: [String: [String: String]] = [:]

    init(spec root: YAMLNode, operations: [Operation]) {
        let prefix = "#/components/responses/"
        for operation in operations {
            guard let responses = root["paths"]?[operation.path]?[operation.method.lowercased()]?["responses"]?.pairs else { continue }
            for pair in responses {
                guard let reference = pair.value["$ref"]?.scalar?.text, reference.hasPrefix(prefix) else { continue }
                names[operation.id, default: [:]][pair.key] = String(reference.dropFirst(prefix.count))
            }
        }
    }

    /// The shared response `operation`'s response `pattern` refers to, if it is one.
    func component(operation: String, pattern: StatusPattern) -> String? {
        names[operation]?[pattern.description]
    }
}
