import Foundation

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
            if entry.key == "text/event-stream" || entry.value["itemSchema"] != nil {
                diagnostics.warn(.requestBodyAsBytes(entry.key), at: entry.keyLocation)
            }
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

    /// One media type of a request body: how it travels and its schema. A body RouteGen cannot
    /// type under its media type is read as raw bytes, with a warning naming what is lost.
    private mutating func readRequestMedia(_ mediaType: String, _ media: YAMLNode, name: String) -> (BodyEncoding, Schema)? {
        let encoding = Self.requestEncoding(mediaType)
        let rawBytes = Schema(.string(StringRules()), at: media.location)
        guard let schemaNode = media["schema"] else {
            // No schema: any value of the media type.
            switch encoding {
            case .json: return (encoding, Schema(.any, at: media.location))
            case .text: return (encoding, Schema(.string(StringRules()), at: media.location))
            default: return (.bytes, rawBytes)
            }
        }
        if encoding == .bytes {
            // Raw bytes are not checked; a schema that says more than "a string" is named as unchecked.
            if !describesBytes(schemaNode) {
                diagnostics.warn(.bodyReadAsBytes(mediaType), at: schemaNode.location)
            }
            return (encoding, rawBytes)
        }
        let context: SchemaContext = encoding == .text ? .parameter : .nested
        if encoding == .text, let what = compositeInParameter(schemaNode) {
            diagnostics.warn(.textBodyComposite(mediaType, schema: what), at: schemaNode.location)
            return (encoding, Schema(.string(StringRules()), at: schemaNode.location))
        }
        guard let schema = readSchema(schemaNode, context: context, name: name) else { return nil }
        switch encoding {
        case .text where !Self.isString(schema):
            diagnostics.warn(.textBodyNotString(mediaType), at: schemaNode.location)
            return (encoding, Schema(.string(StringRules()), at: schemaNode.location))
        case .form, .multipart:
            if let problem = fieldsMismatch(schema, allowsArrays: encoding == .form, allowsAny: encoding == .multipart) {
                diagnostics.warn(.fieldsNotParsed(mediaType, problem: problem), at: schemaNode.location)
                return (.bytes, rawBytes)
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
            diagnostics.refuse(.badStatusCode(entry.key), at: entry.keyLocation)
            return nil
        }
        let status = pattern.description
        guard let node = resolved(entry.value, kind: "responses"), let pairs = mapping(node, "response \(status)") else {
            return nil
        }
        checkKeys(pairs, allowed: ["description", "headers", "content", "summary", "links"], in: "response \(status)")
        let description = string(node["description"], "description") ?? ""
        if node["description"] == nil {
            diagnostics.refuse(.responseWithoutDescription(status), at: node.location)
        }
        var response = Response(
            status: pattern.firstCode, pattern: pattern, description: description, examples: [], location: entry.keyLocation)
        response.headers = readResponseHeaders(node["headers"], in: "response \(status)")
        if let reference = entry.value["$ref"]?.scalar?.text, Self.isComponentReference(reference, kind: "responses") {
            response.componentName = String(reference.dropFirst("#/components/responses/".count))
        }
        guard let contentNode = node["content"] else { return response }
        guard let entries = mediaTypes(contentNode, in: "response \(status)", at: node.location) else { return response }
        let caseNames = mediaCaseNames(entries)
        for (index, entry) in entries.enumerated() {
            guard let mediaPairs = mapping(entry.value, entry.key) else { continue }
            checkKeys(mediaPairs, allowed: Self.mediaTypeKeys, in: "media type '\(entry.key)'")
            let name = operationType + "Response" + (pattern == .default ? "Default" : status)
                + (entries.count > 1 ? SwiftNames.type(caseNames[index]) : "")
            guard var content = readResponseContent(entry.key, entry.value, status: status, name: name) else { continue }
            if entries.count > 1, case .eventStream = content {
                // The negotiated body holds one value per media type; a stream is not one.
                diagnostics.warn(.eventStreamAmongSeveral, at: entry.keyLocation)
                content = .bytes(mediaType: entry.key)
            }
            if response.contents.isEmpty { response.examples = examples(in: mediaPairs, of: entry.value) }
            response.contents.append(content)
            response.caseNames.append(caseNames[index])
        }
        return response
    }

    /// One media type of a response. A body RouteGen cannot type under its media type is
    /// answered as raw bytes, with a warning naming what is lost.
    private mutating func readResponseContent(_ mediaType: String, _ media: YAMLNode, status: String, name: String) -> Response.Content? {
        if mediaType == "text/event-stream" {
            guard let itemNode = media["itemSchema"] else {
                diagnostics.warn(.eventStreamWithoutItemSchema, at: media.location)
                return .bytes(mediaType: mediaType)
            }
            return readEventItem(itemNode, name: name).map { .eventStream(eventSchema: $0) } ?? .bytes(mediaType: mediaType)
        }
        if media["itemSchema"] != nil {
            diagnostics.warn(.itemSchemaOutsideEventStream(mediaType), at: media["itemSchema"]!.location)
            return .bytes(mediaType: mediaType)
        }
        let isJSON = Self.isJSON(mediaType)
        guard let schemaNode = media["schema"] else {
            // No schema: any value of the media type.
            if isJSON { return .json(mediaType: mediaType, schema: Schema(.any, at: media.location)) }
            if Self.textMediaTypes.contains(mediaType) || mediaType.hasPrefix("text/") { return .text(mediaType: mediaType) }
            return .bytes(mediaType: mediaType)
        }
        if isJSON {
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
            if compositeInParameter(schemaNode) == nil, let schema = readSchema(schemaNode, context: .parameter, name: name), Self.isString(schema) {
                return .text(mediaType: mediaType)
            }
            diagnostics.warn(.textResponseNotString(mediaType), at: schemaNode.location)
            return .text(mediaType: mediaType)
        }
        if mediaType == "multipart/form-data" {
            diagnostics.warn(.multipartResponse, at: media.location)
        } else if !describesBytes(schemaNode) {
            diagnostics.warn(.responseAsBytes(mediaType), at: schemaNode.location)
        }
        return .bytes(mediaType: mediaType)
    }

    /// Whether a response of `mediaType` is JSON: `application/json` (with parameters or not),
    /// `application/problem+json`, or any `+json` type.
    static func isJSON(_ mediaType: String) -> Bool {
        let essence = mediaType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return jsonMediaTypes.contains(essence) || essence.hasSuffix("+json")
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

    /// Whether a schema node says only that a body is a string of bytes: `type: string` (any
    /// format, annotations beside), or a `$ref` to one.
    func describesBytes(_ node: YAMLNode, depth: Int = 0) -> Bool {
        guard let pairs = node.pairs else { return false }
        if let reference = node["$ref"]?.scalar?.text {
            guard depth < 16, let target = pointerTarget(reference) else { return false }
            return describesBytes(target, depth: depth + 1)
        }
        let annotations: Set<String> = ["type", "format", "description", "title", "example", "examples", "contentMediaType", "contentEncoding", "default", "deprecated", "maxLength", "minLength"]
        return node["type"]?.scalar?.text == "string" && pairs.allSatisfy { annotations.contains($0.key) || $0.key.hasPrefix("x-") }
    }

    static func isString(_ schema: Schema) -> Bool {
        if case .string = schema.kind { true } else { false }
    }

    /// What keeps `schema` from being a form or multipart body: nil when it is an object (or a
    /// `$ref` to one) whose properties are primitives (`format: binary` strings among them: files)
    /// or, where `allowsArrays`, arrays of primitives; where `allowsAny` (multipart), any object.
    func fieldsMismatch(_ schema: Schema, allowsArrays: Bool, allowsAny: Bool = false) -> Diagnostic.FieldsMismatch? {
        var shape: ObjectShape?
        switch schema.kind {
        case .object(let object): shape = object
        case .reference(let name):
            if case .object(let object)? = inlineSchema(named: name)?.kind { shape = object }
            if case .object(let object)? = componentSchema(named: name)?.kind { shape = object }
        default: break
        }
        guard let shape else { return .notAnObject }
        // Multipart: arrays are repeated parts, structured values JSON parts; any property will do.
        guard !allowsAny else { return nil }
        for property in shape.properties {
            var kind = property.schema.kind
            if allowsArrays, case .array(let items, _, _) = kind { kind = items.kind }
            // A string enum is named, but still one field of text.
            if case .reference(let name) = kind, let named = inlineSchema(named: name) { kind = named.kind }
            switch kind {
            case .string, .integer, .number, .boolean: continue
            default:
                return allowsArrays ? .notAFormField(property.name) : .notAPartField(property.name)
            }
        }
        return nil
    }

    /// The SSE item: an object whose `data` is JSON described by `contentSchema`.
    private mutating func readEventItem(_ node: YAMLNode, name: String) -> Schema? {
        guard let item = readSchema(node, context: .eventItem, name: name + "Event") else { return nil }
        guard case .object(let shape) = item.kind else {
            diagnostics.warn(.itemSchemaNotObject, at: node.location)
            return nil
        }
        for property in shape.properties where !["data", "id", "event", "retry"].contains(property.name) {
            diagnostics.warn(.itemSchemaNotSSEField(property.name), at: property.schema.location)
        }
        guard let data = shape.properties.first(where: { $0.name == "data" }) else {
            diagnostics.warn(.itemSchemaWithoutData, at: node.location)
            return nil
        }
        guard case .string(let rules) = data.schema.kind, rules.contentMediaType == "application/json",
            let content = rules.contentSchema, content.referenceName != nil
        else {
            diagnostics.warn(.itemSchemaDataUntyped, at: data.schema.location)
            return nil
        }
        return content
    }

    /// The media types of a `content`, in document order; at least one.
    private mutating func mediaTypes(_ node: YAMLNode?, in what: String, at location: SourceLocation) -> [YAMLPair]? {
        guard let node else {
            diagnostics.refuse(.noContent(what), at: location)
            return nil
        }
        guard let pairs = mapping(node, "content") else { return nil }
        guard !pairs.isEmpty else {
            diagnostics.warn(.emptyContent(what), at: node.location)
            return nil
        }
        return pairs
    }
}
