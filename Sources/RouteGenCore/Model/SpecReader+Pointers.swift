import Foundation

extension SpecReader {
    /// The node a local JSON Pointer `$ref` names (`#/components/responses/Y/content/…`,
    /// `#/paths/~1pets/get/…`), nil when it names nothing. `~1` is `/` and `~0` is `~` (RFC 6901);
    /// percent-escapes are decoded as in a URI fragment.
    func pointerTarget(_ reference: String) -> YAMLNode? {
        guard let root = documentRoot, reference.hasPrefix("#/") else { return nil }
        var node = root
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = (String(token).removingPercentEncoding ?? String(token))
                .replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let items = node.items {
                guard let index = Int(key), items.indices.contains(index) else { return nil }
                node = items[index]
            } else {
                guard let next = node[key] else { return nil }
                node = next
            }
        }
        return node
    }

    /// Whether a `$ref` is one RouteGen names a component by: `#/components/<kind>/<name>`.
    static func isComponentReference(_ reference: String, kind: String) -> Bool {
        let prefix = "#/components/\(kind)/"
        return reference.hasPrefix(prefix) && !reference.dropFirst(prefix.count).contains("/")
    }

    /// A schema `$ref` that points inside another part of the document (a property of a
    /// component, a media type's schema): that node, read in place as an inline schema; nil when
    /// the reference is a component's or names nothing.
    mutating func pointedSchema(_ reference: YAMLNode, context: SchemaContext, name: String) -> Schema?? {
        guard let text = reference.scalar?.text, !Self.isComponentReference(text, kind: "schemas"), text.hasPrefix("#/") else { return nil }
        guard let target = pointerTarget(text) else {
            diagnostics.refuse(.referenceToNothing(text), at: reference.location)
            return .some(nil)
        }
        guard pointersBeingRead.insert(text).inserted else {
            diagnostics.warn(.pointerReachesItself(text), at: reference.location)
            return .some(Schema(context == .parameter ? .string(StringRules()) : .any, at: reference.location))
        }
        defer { pointersBeingRead.remove(text) }
        return .some(readSchema(target, context: context, name: name))
    }
}
