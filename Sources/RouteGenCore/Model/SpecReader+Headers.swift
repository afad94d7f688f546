extension SpecReader {
    /// The `headers` of a response: each a Header object (or a `$ref` to `components.headers`)
    /// with a primitive schema. `Content-Type` is the media type's, so it is a warning.
    mutating func readResponseHeaders(_ node: YAMLNode?, in what: String) -> [ResponseHeader] {
        guard let node, let entries = mapping(node, "headers") else { return [] }
        var headers: [ResponseHeader] = []
        for entry in entries {
            if entry.key.lowercased() == "content-type" {
                diagnostics.warning("header 'Content-Type' is ignored: the media type of the content sets it", at: entry.keyLocation)
                continue
            }
            guard let header = resolved(entry.value, kind: "headers"), let pairs = mapping(header, "header '\(entry.key)'") else {
                continue
            }
            checkKeys(
                pairs, allowed: ["description", "required", "deprecated", "schema", "example", "examples", "style", "explode"],
                in: "header '\(entry.key)'")
            guard let schemaNode = header["schema"] else {
                // A header described by `content` (or by nothing): documentation only.
                diagnostics.warning("header '\(entry.key)' of \(what) has no schema: it is not generated", at: header.location)
                continue
            }
            guard let schema = readSchema(schemaNode, context: .parameter, name: SwiftNames.type(entry.key)) else { continue }
            if case .array = schema.kind {
                diagnostics.warning("header '\(entry.key)' is an array: it is not generated, the handler cannot set it", at: schemaNode.location)
                continue
            }
            if let earlier = headers.first(where: { $0.name.lowercased() == entry.key.lowercased() }) {
                // Valid, and generated (numbered in Swift), but one field on the wire.
                diagnostics.warning(
                    "header '\(entry.key)' of \(what) is '\(earlier.name)' again (header names ignore case): set, it replaces the earlier one's value",
                    at: entry.keyLocation)
            }
            headers.append(ResponseHeader(
                name: entry.key, isRequired: bool(header["required"], "required") ?? false,
                description: string(header["description"], "description"), schema: schema, location: entry.keyLocation))
        }
        return headers
    }
}
