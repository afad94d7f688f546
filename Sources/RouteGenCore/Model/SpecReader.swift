/// Reads a YAML tree into an `APIDocument`, reporting every problem at its spot.
///
/// A document that is not valid OpenAPI is refused with errors; a valid construct RouteGen cannot
/// type precisely is read less precisely (docs/openapi-subset.md) with a warning at its spot.
struct SpecReader {
    var diagnostics: Diagnostics
    /// Raw `components` entries by kind (`schemas`, `parameters`, …) and name.
    var components: [String: [String: YAMLNode]] = [:]
    /// The `3.x` of the document's `openapi` version, which decides how a few keywords read
    /// (`nullable` and boolean `exclusiveMinimum` in 3.0).
    var openAPIMinor = 2
    /// Inline object schemas, named after where they sit, in the order they were read.
    var inlineSchemas: [(name: String, schema: Schema)] = []
    /// Where each of `inlineSchemas` is, by name (kept by `nameInline`): lookups stay constant as
    /// a document grows.
    var inlineIndex: [String: Int] = [:]
    /// Where each of `componentSchemas` is, by name.
    var componentIndex: [String: Int] = [:]
    /// Named schemas already searched for a `format: binary` file (`checkNoFiles`).
    var namesCheckedForFiles: Set<String> = []
    /// `components.securitySchemes` and the document's `security`, read before the paths.
    var securitySchemes: [SecurityScheme] = []
    var defaultSecurity: [String?] = []
    /// `components.schemas` as read, once they are (before the paths).
    var componentSchemas: [(name: String, schema: Schema)] = [] {
        didSet { componentIndex = Self.index(componentSchemas) }
    }
    /// The cycles among named schemas (`APIDocument.cycles`), once components are read.
    var cycles: [String: Set<String>] = [:]
    /// Component schemas that are not Swift types of their own, written in place of each `$ref`
    /// (`inlineAliases`), once components are read.
    var schemasInPlace: [String: Schema] = [:]
    /// The whole document, for `$ref`s that point inside it (`pointerTarget`).
    var documentRoot: YAMLNode?
    /// The JSON Pointer `$ref`s being read, to catch one that reaches itself.
    var pointersBeingRead: Set<String> = []
    /// The named primitive and array schemas being read, to catch one that reaches itself.
    var namedValuesBeingRead: Set<String> = []

    init(file: String) {
        diagnostics = Diagnostics(file: file)
    }

    /// The component schema `name`, once components are read.
    func componentSchema(named name: String) -> Schema? {
        componentIndex[name].map { componentSchemas[$0].schema }
    }

    /// The inline schema `name`, if one was named so.
    func inlineSchema(named name: String) -> Schema? {
        inlineIndex[name].map { inlineSchemas[$0].schema }
    }

    /// Each name's position (the first, should one repeat).
    static func index(_ schemas: [(name: String, schema: Schema)]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (position, entry) in schemas.enumerated() where index[entry.name] == nil { index[entry.name] = position }
        return index
    }

    // MARK: Reading nodes

    /// The pairs of a mapping node; an error naming `what` otherwise.
    mutating func mapping(_ node: YAMLNode, _ what: String) -> [YAMLPair]? {
        guard let pairs = node.pairs else {
            diagnostics.refuse(.notMapping(what, found: node.kindDescription), at: node.location)
            return nil
        }
        return pairs
    }

    /// Warns about each of `pairs` whose key RouteGen knows but does not read
    /// (`Diagnostic.Warning.ignoredKeys`), so leaving it out of the generated code is never silent.
    mutating func warnIgnored(_ pairs: [YAMLPair]) {
        for pair in pairs where Diagnostic.Warning.ignoredKeys.contains(pair.key) {
            diagnostics.warn(.ignoredKey(pair.key), at: pair.keyLocation)
        }
    }

    /// A string scalar.
    mutating func string(_ node: YAMLNode?, _ what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            diagnostics.refuse(.notString(what, found: node.kindDescription), at: node.location)
            return nil
        }
        return scalar.text
    }

    /// A plain integer scalar.
    mutating func integer(_ node: YAMLNode?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard case .integer(let value) = JSON(node) else {
            diagnostics.refuse(.notInteger(what), at: node.location)
            return nil
        }
        return value
    }

    /// A plain number scalar.
    mutating func number(_ node: YAMLNode?, _ what: String) -> Double? {
        guard let node else { return nil }
        switch JSON(node) {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default:
            diagnostics.refuse(.notNumber(what), at: node.location)
            return nil
        }
    }

    /// A plain `true` or `false`.
    mutating func bool(_ node: YAMLNode?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard case .bool(let value) = JSON(node) else {
            diagnostics.refuse(.notBool(what), at: node.location)
            return nil
        }
        return value
    }

    /// A sequence node's items.
    mutating func sequence(_ node: YAMLNode?, _ what: String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard let items = node.items else {
            diagnostics.refuse(.notSequence(what, found: node.kindDescription), at: node.location)
            return nil
        }
        return items
    }

    // MARK: References

    /// The component a `$ref` names: `#/components/<kind>/<name>`; nil (and an error) otherwise.
    mutating func referencedName(_ node: YAMLNode, kind: String) -> String? {
        guard let reference = string(node, "$ref") else { return nil }
        let prefix = "#/components/\(kind)/"
        guard reference.hasPrefix(prefix) else {
            diagnostics.refuse(.referenceNotToComponent(reference, expected: prefix), at: node.location)
            return nil
        }
        let name = String(reference.dropFirst(prefix.count))
        guard components[kind]?[name] != nil else {
            diagnostics.refuse(.referenceToMissingComponent(reference, kind: kind, name: name), at: node.location)
            return nil
        }
        return name
    }

    /// The node itself, or the component its `$ref` points to (one level; components may not chain).
    mutating func resolved(_ node: YAMLNode, kind: String) -> YAMLNode? {
        guard let reference = node["$ref"] else { return node }
        if let pairs = node.pairs {
            checkKeys(pairs, allowed: ["$ref", "summary", "description"], in: "a reference")
        }
        // A JSON Pointer into another part of the document (`#/components/responses/Y`, `#/paths/…`).
        if let text = reference.scalar?.text, !Self.isComponentReference(text, kind: kind), text.hasPrefix("#/") {
            guard let target = pointerTarget(text) else {
                diagnostics.refuse(.referenceToNothing(text), at: reference.location)
                return nil
            }
            guard pointersBeingRead.insert(text).inserted else {
                diagnostics.refuse(.referenceReachesItself(text), at: reference.location)
                return nil
            }
            defer { pointersBeingRead.remove(text) }
            return resolved(target, kind: kind)
        }
        guard let name = referencedName(reference, kind: kind), var target = components[kind]?[name] else {
            return nil
        }
        // A component may itself be a `$ref` to another of its kind: follow the chain.
        var seen: Set<String> = [name]
        while let next = target["$ref"] {
            guard let nextName = referencedName(next, kind: kind), let nextTarget = components[kind]?[nextName] else { return nil }
            guard seen.insert(nextName).inserted else {
                diagnostics.refuse(.componentReferenceCycle(nextName), at: next.location)
                return nil
            }
            target = nextTarget
        }
        return target
    }

    /// Named examples from `example` and `examples` (Example objects with `value` or `dataValue`).
    mutating func examples(in pairs: [YAMLPair], of node: YAMLNode) -> [(name: String, value: JSON)] {
        var found: [(name: String, value: JSON)] = []
        if let single = node["example"] { found.append((name: "default", value: JSON(single))) }
        guard let examplesNode = node["examples"], let entries = mapping(examplesNode, "examples") else {
            return found
        }
        for entry in entries {
            guard let example = resolved(entry.value, kind: "examples"),
                let fields = mapping(example, "example '\(entry.key)'")
            else { continue }
            checkKeys(
                fields, allowed: ["summary", "description", "value", "dataValue", "serializedValue", "externalValue"],
                in: "example '\(entry.key)'")
            if let value = example["dataValue"] ?? example["value"] {
                found.append((name: entry.key, value: JSON(value)))
            } else {
                // `externalValue` (or nothing): not fetched, so not an example the conformance suite can send.
                diagnostics.warn(.exampleWithoutValue(entry.key), at: entry.keyLocation)
            }
        }
        return found
    }
}
