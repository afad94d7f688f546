extension SpecReader {
    static let jsonMediaTypes: Set<String> = ["application/json", "application/problem+json"]
    static let textMediaTypes: Set<String> = ["text/plain", "application/yaml", "text/html"]
    static let mediaTypeKeys: Set<String> = ["schema", "itemSchema", "example", "examples"]

    /// The request body of the operation whose Swift type is `operationType`: one media type,
    /// or several that the handler tells apart by the case of its input's `Body`.
    mutating func readRequestBody(_ original: YAMLNode, operationType: String) -> RequestBody? {
        guard let node = resolved(original, kind: "requestBodies"), let pairs = mapping(node, "requestBody") else {
            return nil
        }
        checkKeys(pairs, allowed: ["description", "required", "content"], in: "requestBody")
        guard let entries = mediaTypes(node["content"], in: "requestBody", at: node.location) else { return nil }
        let caseNames = mediaCaseNames(entries)
        var media: [RequestBody.Media] = []
        var examples: [(name: String, value: JSON)] = []
        for (index, entry) in entries.enumerated() {
            guard let mediaPairs = mapping(entry.value, entry.key) else { continue }
            checkKeys(mediaPairs, allowed: ["schema", "example", "examples"], in: "media type '\(entry.key)'")
            let name = operationType + "Request" + (entries.count > 1 ? SwiftNames.type(caseNames[index]) : "")
            guard let (encoding, schema) = readRequestMedia(entry.key, entry.value, name: name) else { continue }
            if media.isEmpty { examples = self.examples(in: mediaPairs, of: entry.value) }
            media.append(.init(mediaType: entry.key, encoding: encoding, schema: schema, caseName: caseNames[index]))
        }
        guard !media.isEmpty else { return nil }
        return RequestBody(
            isRequired: bool(node["required"], "required") ?? false, media: media,
            description: string(node["description"], "description"), examples: examples)
    }

    /// One media type of a request body: how it travels and its schema.
    private mutating func readRequestMedia(_ mediaType: String, _ media: YAMLNode, name: String) -> (BodyEncoding, Schema)? {
        let encoding = Self.requestEncoding(mediaType)
        if encoding == .bytes {
            // Raw bytes are not checked; a schema, if any, may only say so.
            if let schemaNode = media["schema"], !Self.describesBytes(schemaNode) {
                diagnostics.error("a '\(mediaType)' body is raw bytes: its schema may only be 'type: string' (with a format such as 'binary')", at: schemaNode.location)
            }
            return (encoding, Schema(.string(StringRules()), at: media.location))
        }
        let context: SchemaContext = encoding == .text ? .parameter : .nested
        guard let schemaNode = media["schema"], let schema = readSchema(schemaNode, context: context, name: name) else {
            if media["schema"] == nil { diagnostics.error("request body has no schema", at: media.location) }
            return nil
        }
        switch encoding {
        case .text where !Self.isString(schema):
            diagnostics.error("a 'text/plain' body must have a string schema", at: schemaNode.location)
        case .form:
            if let problem = fieldsMismatch(schema, allowsArrays: true) {
                diagnostics.error("an application/x-www-form-urlencoded body \(problem)", at: schemaNode.location)
            }
        case .multipart:
            if let problem = fieldsMismatch(schema, allowsArrays: false) {
                diagnostics.error("a multipart/form-data body \(problem)", at: schemaNode.location)
            }
        case .json:
            checkNoFiles(schema, in: "an application/json body")
        default: break
        }
        return (encoding, schema)
    }

    /// One response of the operation whose Swift type is `operationType`.
    mutating func readResponse(_ entry: YAMLPair, operationType: String) -> Response? {
        guard let pattern = StatusPattern(key: entry.key) else {
            diagnostics.error(
                "bad status code '\(entry.key)': expected a code from 100 to 599, a range from '1XX' to '5XX', or 'default'",
                at: entry.keyLocation)
            return nil
        }
        let status = pattern.description
        guard let node = resolved(entry.value, kind: "responses"), let pairs = mapping(node, "response \(status)") else {
            return nil
        }
        checkKeys(pairs, allowed: ["description", "headers", "content", "summary", "links"], in: "response \(status)")
        let description = string(node["description"], "description") ?? ""
        if node["description"] == nil {
            diagnostics.error("response \(status) has no description", at: node.location)
        }
        var response = Response(
            status: pattern.firstCode, pattern: pattern, description: description, examples: [], location: entry.keyLocation)
        response.headers = readResponseHeaders(node["headers"], in: "response \(status)")
        guard let contentNode = node["content"] else { return response }
        guard let entries = mediaTypes(contentNode, in: "response \(status)", at: node.location) else { return response }
        let caseNames = mediaCaseNames(entries)
        for (index, entry) in entries.enumerated() {
            guard let mediaPairs = mapping(entry.value, entry.key) else { continue }
            checkKeys(mediaPairs, allowed: Self.mediaTypeKeys, in: "media type '\(entry.key)'")
            if entries.count > 1 && (entry.key == "text/event-stream" || entry.key == "multipart/form-data") {
                diagnostics.error("'\(entry.key)' cannot be one of several media types of a response", at: entry.keyLocation)
                continue
            }
            let name = operationType + "Response" + (pattern == .default ? "Default" : status)
                + (entries.count > 1 ? SwiftNames.type(caseNames[index]) : "")
            guard let content = readResponseContent(entry.key, entry.value, status: status, name: name) else { continue }
            if response.contents.isEmpty { response.examples = examples(in: mediaPairs, of: entry.value) }
            response.contents.append(content)
            response.caseNames.append(caseNames[index])
        }
        return response
    }

    private mutating func readResponseContent(_ mediaType: String, _ media: YAMLNode, status: String, name: String) -> Response.Content? {
        if mediaType == "text/event-stream" {
            guard let itemNode = media["itemSchema"] else {
                diagnostics.error("a text/event-stream response needs an 'itemSchema'", at: media.location)
                return nil
            }
            return readEventItem(itemNode, name: name).map { .eventStream(eventSchema: $0) }
        }
        if media["itemSchema"] != nil {
            diagnostics.error("'itemSchema' is supported only for text/event-stream", at: media.location)
        }
        guard let schemaNode = media["schema"] else {
            diagnostics.error("response \(status) '\(mediaType)' has no schema", at: media.location)
            return nil
        }
        if Self.jsonMediaTypes.contains(mediaType) {
            guard let schema = readSchema(schemaNode, context: .nested, name: name) else { return nil }
            checkNoFiles(schema, in: "a '\(mediaType)' response")
            return .json(mediaType: mediaType, schema: schema)
        }
        if mediaType == "application/yaml" {
            // The handler answers the YAML text; the schema describes the document a YAML reader
            // gets from it (as schemathesis checks it), so it is read like a JSON body's schema.
            guard readSchema(schemaNode, context: .nested, name: name) != nil else { return nil }
            return .text(mediaType: mediaType)
        }
        if Self.textMediaTypes.contains(mediaType) || mediaType.hasPrefix("text/") {
            guard let schema = readSchema(schemaNode, context: .parameter, name: name) else { return nil }
            guard case .string = schema.kind else {
                diagnostics.error("a '\(mediaType)' body must have a string schema", at: schemaNode.location)
                return nil
            }
            return .text(mediaType: mediaType)
        }
        guard mediaType != "multipart/form-data" else {
            diagnostics.error("'multipart/form-data' responses are not supported", at: media.location)
            return nil
        }
        if !Self.describesBytes(schemaNode) {
            diagnostics.error("a '\(mediaType)' body is raw bytes: its schema may only be 'type: string' (with a format such as 'binary')", at: schemaNode.location)
        }
        return .bytes(mediaType: mediaType)
    }

    /// How a request body of `mediaType` travels.
    static func requestEncoding(_ mediaType: String) -> BodyEncoding {
        switch mediaType.lowercased() {
        case "application/json": .json
        case "application/x-www-form-urlencoded": .form
        case "text/plain": .text
        case "multipart/form-data": .multipart
        default: .bytes
        }
    }

    /// Whether a schema node says only that a body is a string of bytes (`type: string`, any format).
    static func describesBytes(_ node: YAMLNode) -> Bool {
        guard let pairs = node.pairs else { return false }
        return node["type"]?.scalar?.text == "string"
            && pairs.allSatisfy { ["type", "format", "description", "contentMediaType", "contentEncoding"].contains($0.key) }
    }

    static func isString(_ schema: Schema) -> Bool {
        if case .string = schema.kind { true } else { false }
    }

    /// What keeps `schema` from being a form or multipart body: nil when it is an object (or a
    /// `$ref` to one) whose properties are primitives (`format: binary` strings among them: files)
    /// or, where `allowsArrays`, arrays of primitives.
    func fieldsMismatch(_ schema: Schema, allowsArrays: Bool) -> String? {
        var shape: ObjectShape?
        switch schema.kind {
        case .object(let object): shape = object
        case .reference(let name):
            if case .object(let object)? = inlineSchemas.first(where: { $0.name == name })?.schema.kind { shape = object }
            if case .object(let object)? = componentSchema(named: name)?.kind { shape = object }
        default: break
        }
        guard let shape else { return "must have an object schema" }
        for property in shape.properties {
            var kind = property.schema.kind
            if allowsArrays, case .array(let items, _, _) = kind { kind = items.kind }
            // A string enum is named, but still one field of text.
            if case .reference(let name) = kind, let named = inlineSchemas.first(where: { $0.name == name }) { kind = named.schema.kind }
            switch kind {
            case .string, .integer, .number, .boolean: continue
            default:
                return allowsArrays
                    ? "must have primitive properties (or arrays of them); '\(property.name)' is not"
                    : "must have string, number, integer, boolean or file ('format: binary') properties; '\(property.name)' is not"
            }
        }
        return nil
    }

    /// The SSE item: an object whose `data` is JSON described by `contentSchema`.
    private mutating func readEventItem(_ node: YAMLNode, name: String) -> Schema? {
        guard let item = readSchema(node, context: .eventItem, name: name + "Event") else { return nil }
        guard case .object(let shape) = item.kind else {
            diagnostics.error("itemSchema must be an object with a 'data' property", at: node.location)
            return nil
        }
        for property in shape.properties where !["data", "id", "event", "retry"].contains(property.name) {
            diagnostics.error("itemSchema property '\(property.name)' is not an SSE field (data, id, event, retry)", at: property.schema.location)
        }
        guard let data = shape.properties.first(where: { $0.name == "data" }) else {
            diagnostics.error("itemSchema has no 'data' property", at: node.location)
            return nil
        }
        guard case .string(let rules) = data.schema.kind, rules.contentMediaType == "application/json",
            let content = rules.contentSchema, content.referenceName != nil
        else {
            diagnostics.error(
                "itemSchema 'data' must be a string with contentMediaType application/json and a contentSchema $ref",
                at: data.schema.location)
            return nil
        }
        return content
    }

    /// The media types of a `content`, in document order; at least one.
    private mutating func mediaTypes(_ node: YAMLNode?, in what: String, at location: SourceLocation) -> [YAMLPair]? {
        guard let node else {
            diagnostics.error("\(what) has no content", at: location)
            return nil
        }
        guard let pairs = mapping(node, "content") else { return nil }
        guard !pairs.isEmpty else {
            diagnostics.error("\(what) must have at least one media type", at: node.location)
            return nil
        }
        return pairs
    }
}
