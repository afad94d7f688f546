extension SpecReader {
    /// The `headers` of a response: each a Header object (or a `$ref` to `components.headers`)
    /// with a primitive schema. `Content-Type` is the media type's, so it is a warning.
    mutating func readResponseHeaders(_ node: YAMLNode?, in what: String) -> [ResponseHeader] {
        guard let node, let entries = mapping(node, "headers") else { return [] }
        var headers: [ResponseHeader] = []
        for entry in entries {
            if entry.key.lowercased() == "content-type" {
                diagnostics.warn(.contentTypeHeader, at: entry.keyLocation)
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
                diagnostics.warn(.headerWithoutSchema(entry.key, of: what), at: header.location)
                continue
            }
            guard let schema = readSchema(schemaNode, context: .parameter, name: SwiftNames.type(entry.key)) else { continue }
            if case .array = schema.kind {
                diagnostics.warn(.arrayHeader(entry.key), at: schemaNode.location)
                continue
            }
            if let earlier = headers.first(where: { $0.name.lowercased() == entry.key.lowercased() }) {
                // Valid, and generated (numbered in Swift), but one field on the wire.
                diagnostics.warn(.headerRepeated(entry.key, of: what, earlier: earlier.name), at: entry.keyLocation)
            }
            headers.append(ResponseHeader(
                name: entry.key, isRequired: bool(header["required"], "required") ?? false,
                description: string(header["description"], "description"), schema: schema, location: entry.keyLocation))
        }
        return headers
    }
}
