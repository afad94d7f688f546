extension SpecReader {
    static let componentKinds: Set<String> = [
        "schemas", "parameters", "responses", "requestBodies", "headers", "examples", "securitySchemes",
    ]
    static let methods = ["get", "put", "post", "delete", "patch"]

    /// Reads the whole document.
    mutating func readDocument(_ root: YAMLNode, sourceText: String) -> APIDocument? {
        documentRoot = root
        guard let top = mapping(root, "the document") else { return nil }
        checkKeys(
            top, allowed: ["openapi", "info", "servers", "tags", "paths", "components", "jsonSchemaDialect", "externalDocs", "webhooks", "security"],
            in: "the document")
        if let version = string(root["openapi"], "openapi") {
            if let minor = ["3.0": 0, "3.1": 1, "3.2": 2].first(where: { version == $0.key || version.hasPrefix($0.key + ".") })?.value {
                openAPIMinor = minor
            } else {
                diagnostics.refuse(.unsupportedVersion(version), at: root["openapi"]!.location)
            }
        } else {
            diagnostics.refuse(.missingVersion, at: root.location)
        }
        var title = "API"
        var version = "0"
        var description: String?
        if let info = root["info"], let infoPairs = mapping(info, "info") {
            checkKeys(
                infoPairs, allowed: ["title", "version", "description", "summary", "contact", "license", "termsOfService"],
                in: "info")
            title = string(info["title"], "info.title") ?? title
            version = string(info["version"], "info.version") ?? version
            description = string(info["description"], "info.description")
        } else {
            diagnostics.refuse(.missingInfo, at: root.location)
        }
        readComponentIndex(root["components"])
        let schemas = readSchemaComponents()
        componentSchemas = schemas
        securitySchemes = readSecuritySchemes()
        defaultSecurity = readSecurity(root["security"], schemes: securitySchemes) ?? []
        var operations: [Operation] = []
        if let paths = root["paths"], let pathPairs = mapping(paths, "paths") {
            for pair in pathPairs {
                operations += readPathItem(pair)
            }
        } else if openAPIMinor >= 1 {
            // 3.1 made `paths` optional: a document of webhooks or components alone.
            diagnostics.warn(.noPaths, at: root.location)
        } else {
            diagnostics.refuse(.missingPaths, at: root.location)
        }
        let allSchemas = schemas + inlineSchemas
        checkOperationIds(operations)
        checkShadowedParameters(operations)
        checkProblemResponses(operations, schemas: allSchemas)
        var document = APIDocument(
            title: title, version: version, description: description, operations: operations,
            schemas: allSchemas, securitySchemes: securitySchemes, conformance: root["x-conformance"], sourceText: sourceText)
        document.cycles = cycles
        document.schemaIndex = Self.index(allSchemas)  // the memberwise init does not run `didSet`
        return document
    }

    /// Indexes `components` by kind and name, so `$ref`s resolve in any order.
    private mutating func readComponentIndex(_ node: YAMLNode?) {
        guard let node, let kinds = mapping(node, "components") else { return }
        checkKeys(kinds, allowed: Self.componentKinds, in: "components")
        for kind in kinds where Self.componentKinds.contains(kind.key) {
            guard let entries = mapping(kind.value, "components.\(kind.key)") else { continue }
            var named: [String: YAMLNode] = [:]
            for entry in entries { named[entry.key] = entry.value }
            components[kind.key] = named
        }
    }

    /// The `operationId` of an operation that has none: the method and the path's words in
    /// lowerCamelCase, braces dropped (`GET /pets/{petId}` → `getPetsPetId`).
    static func derivedOperationId(method: String, path: String) -> String {
        SwiftNames.member(([method.lowercased()] + SwiftNames.words(path)).joined(separator: "-"))
    }

    /// Two operations may not share an `operationId` (those that meet in Swift after mangling
    /// are told apart by `GeneratedNames`); the second is reported at its `operationId`.
    private mutating func checkOperationIds(_ operations: [Operation]) {
        var firstUse: [String: Operation] = [:]
        for operation in operations where !operation.id.isEmpty {
            if let first = firstUse[operation.id], operation.hasDerivedId {
                diagnostics.refuse(.derivedOperationIDTaken(operation.id, by: first.site), at: operation.idLocation)
            } else if let first = firstUse[operation.id] {
                diagnostics.refuse(.duplicateOperationID(operation.id, by: first.site), at: operation.idLocation)
            }
            firstUse[operation.id] = firstUse[operation.id] ?? operation
        }
    }

    // MARK: Paths

    private mutating func readPathItem(_ pair: YAMLPair) -> [Operation] {
        let path = pair.key
        guard path.hasPrefix("/") else {
            diagnostics.refuse(.pathWithoutSlash(path), at: pair.keyLocation)
            return []
        }
        guard let item = mapping(pair.value, "path '\(path)'") else { return [] }
        for entry in item where ["head", "options", "trace"].contains(entry.key) {
            diagnostics.warn(.methodNotGenerated(entry.key), at: entry.keyLocation)
        }
        checkKeys(
            item, allowed: Set(Self.methods + ["summary", "description", "parameters", "head", "options", "trace", "$ref"]),
            in: "path '\(path)'")
        if let reference = item.first(where: { $0.key == "$ref" }) {
            diagnostics.warn(.pathItemReferenceNotFollowed, at: reference.keyLocation)
        }
        let templateNames = templateParameters(in: path, at: pair.keyLocation)
        let shared = readParameters(pair.value["parameters"])
        var operations: [Operation] = []
        for entry in item where Self.methods.contains(entry.key) {
            guard var operation = readOperation(entry, path: path, shared: shared) else { continue }
            checkTemplate(templateNames, of: &operation, pathAt: pair.keyLocation)
            operations.append(operation)
        }
        return operations
    }

    /// The `{name}`s of a template; each must be a whole segment.
    private mutating func templateParameters(in path: String, at location: SourceLocation) -> [String] {
        var names: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment.hasPrefix("{") && segment.hasSuffix("}") && segment.count > 2 {
                let name = String(segment.dropFirst().dropLast())
                if names.contains(name) {
                    diagnostics.refuse(.templateParameterTwice(name, path: path), at: location)
                }
                names.append(name)
            } else if segment.contains("{") || segment.contains("}") {
                diagnostics.refuse(.parameterNotWholeSegment(String(segment), path: path), at: location)
            }
        }
        return names
    }

    private mutating func checkTemplate(_ names: [String], of operation: inout Operation, pathAt: SourceLocation) {
        let declared = operation.parameters(in: .path)
        for name in names where !declared.contains(where: { $0.name == name }) {
            diagnostics.refuse(.undeclaredPathParameter(name, path: operation.path, operationID: operation.id), at: operation.location)
        }
        for parameter in declared where !names.contains(parameter.name) {
            diagnostics.refuse(.pathParameterNotInPath(parameter.name, path: operation.path), at: parameter.location)
        }
    }

    // MARK: Operations

    private mutating func readOperation(_ entry: YAMLPair, path: String, shared: [Parameter]) -> Operation? {
        let method = entry.key.uppercased()
        let what = "operation \(method) \(path)"
        guard let pairs = mapping(entry.value, what) else { return nil }
        checkKeys(
            pairs,
            allowed: ["operationId", "summary", "description", "tags", "parameters", "requestBody", "responses",
                "deprecated", "externalDocs", "callbacks", "security"],
            in: what)
        var id = ""
        var idLocation = entry.keyLocation
        if let idNode = entry.value["operationId"] {
            idLocation = idNode.location
            if let value = string(idNode, "operationId") {
                id = value
                if SwiftNames.words(value).isEmpty {
                    diagnostics.refuse(.operationIDWithoutLetters(value), at: idNode.location)
                }
            }
        } else {
            id = Self.derivedOperationId(method: entry.key, path: path)
        }
        var parameters = shared
        for parameter in readParameters(entry.value["parameters"]) {
            parameters.removeAll { $0.name == parameter.name && $0.place == parameter.place }
            parameters.append(parameter)
        }
        let operationType = SwiftNames.type(id)
        let requestBody = entry.value["requestBody"].flatMap { readRequestBody($0, operationType: operationType) }
        var responses: [Response] = []
        if let responsesNode = entry.value["responses"], let responsePairs = mapping(responsesNode, "responses") {
            responses = responsePairs.compactMap { readResponse($0, operationType: operationType) }.sorted { $0.pattern < $1.pattern }
            for (index, response) in responses.enumerated().dropFirst() where responses[index - 1].pattern == response.pattern {
                diagnostics.refuse(.responseTwice(response.pattern), at: response.location)
            }
            if responsePairs.isEmpty {
                diagnostics.refuse(.noResponsesDocumented(what), at: responsesNode.location)
            }
        } else {
            diagnostics.refuse(.noResponses(what), at: entry.keyLocation)
        }
        return Operation(
            id: id, method: method, path: path,
            summary: string(entry.value["summary"], "summary"),
            description: string(entry.value["description"], "description"),
            parameters: parameters, requestBody: requestBody, responses: responses, location: entry.keyLocation,
            idLocation: idLocation, hasDerivedId: entry.value["operationId"] == nil,
            security: readSecurity(entry.value["security"], schemes: securitySchemes) ?? defaultSecurity)
    }

    private mutating func readParameters(_ node: YAMLNode?) -> [Parameter] {
        guard let items = sequence(node, "parameters") else { return [] }
        var parameters: [Parameter] = []
        for item in items {
            guard let parameter = readParameter(item) else { continue }
            if parameters.contains(where: { $0.name == parameter.name && $0.place == parameter.place }) {
                diagnostics.refuse(.duplicateParameter(parameter.name, place: parameter.place), at: item.location)
            }
            parameters.append(parameter)
        }
        return parameters
    }

    /// Whether a parameter schema's default is a value of its type.
    static func defaultFits(_ schema: Schema) -> Bool {
        switch (schema.defaultValue, schema.kind) {
        case (nil, _), (.integer?, .integer), (.integer?, .number), (.number?, .number), (.string?, .string), (.bool?, .boolean):
            true
        default:
            false
        }
    }

    private mutating func readParameter(_ original: YAMLNode) -> Parameter? {
        guard let node = resolved(original, kind: "parameters"), let pairs = mapping(node, "a parameter") else {
            return nil
        }
        checkKeys(
            pairs, allowed: ["name", "in", "description", "required", "deprecated", "schema", "example", "examples", "style", "explode", "content"],
            in: "a parameter")
        guard let name = string(node["name"], "name") else {
            diagnostics.refuse(.parameterWithoutName, at: node.location)
            return nil
        }
        guard let placeNode = node["in"], let placeText = string(placeNode, "in") else {
            diagnostics.refuse(.parameterWithoutPlace(name), at: node.location)
            return nil
        }
        guard let place = Parameter.Place(rawValue: placeText) else {
            if ["cookie", "querystring"].contains(placeText) {
                diagnostics.warn(.parameterPlaceNotGenerated(name, place: placeText), at: placeNode.location)
            } else {
                diagnostics.refuse(.unknownParameterPlace(name, place: placeText), at: placeNode.location)
            }
            return nil
        }
        let isRequired = bool(node["required"], "required") ?? false
        if place == .path && !isRequired {
            diagnostics.refuse(.pathParameterNotRequired(name), at: node.location)
        }
        guard let schemaNode = node["schema"] else {
            if let content = node["content"] {
                // A parameter of a media type (JSON in the query): its text as it came.
                diagnostics.warn(.parameterByContent(name), at: content.location)
            } else {
                diagnostics.warn(.parameterWithoutSchema(name), at: node.location)
            }
            return Parameter(
                name: name, place: place, isRequired: isRequired, description: string(node["description"], "description"),
                schema: Schema(.string(StringRules()), at: node.location), explode: true, examples: [], location: original.location)
        }
        // A parameter whose schema is wrong still counts as declared, so one mistake gives one error.
        var schema = readSchema(schemaNode, context: .parameter, name: SwiftNames.type(name)) ?? Schema(.string(StringRules()), at: schemaNode.location)
        let explode = readSerialization(node, place: place, schema: &schema, name: name)
        if let defaultNode = schemaNode["default"] {
            if isRequired {
                diagnostics.warn(.defaultOfRequired(name), at: defaultNode.location)
                schema.defaultValue = nil
            } else if !Self.defaultFits(schema) {
                diagnostics.warn(.defaultNotOfType(name), at: defaultNode.location)
                schema.defaultValue = nil
            }
        }
        return Parameter(
            name: name, place: place, isRequired: isRequired,
            description: string(node["description"], "description"), schema: schema, explode: explode,
            examples: examples(in: pairs, of: node), location: original.location)
    }

    /// How a parameter is written: the default `style` of its place (`form` in the query,
    /// `simple` elsewhere), and for an array query parameter `explode` (true by default). An
    /// array of primitives is allowed in the query only.
    private mutating func readSerialization(_ node: YAMLNode, place: Parameter.Place, schema: inout Schema, name: String) -> Bool {
        let defaultStyle = place == .query ? "form" : "simple"
        if let styleNode = node["style"], let style = string(styleNode, "style"), style != defaultStyle {
            diagnostics.warn(.styleNotGenerated(name, style: style, defaultStyle: defaultStyle, place: place), at: styleNode.location)
        }
        let explode = bool(node["explode"], "explode") ?? true
        guard case .array(let items, let minItems, let maxItems) = schema.kind else { return explode }
        if place != .query {
            schema.kind = .string(StringRules())
            diagnostics.warn(.arrayInPlace(name, place: place), at: schema.location)
        } else if case .array = items.kind {
            schema.kind = .array(items: Schema(.string(StringRules()), at: items.location), minItems: minItems, maxItems: maxItems)
            diagnostics.warn(.arrayOfArrays(name), at: items.location)
        }
        return explode
    }
}
