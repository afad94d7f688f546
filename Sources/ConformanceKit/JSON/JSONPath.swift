import RouteGenCore

/// A path into a JSON value, written `payload.members[0].id`, as captures name what they take.
struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    /// One step: an object key or an array index.
    enum Component: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    let components: [Component]

    /// The value itself.
    static let root = JSONPath(components: [])

    private init(components: [Component]) {
        self.components = components
    }

    /// Reads `a.b[0].c`; nil for an empty or malformed path.
    init?(_ text: String) {
        var components: [Component] = []
        for part in text.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = part[...]
            let key = rest.prefix { $0 != "[" }
            if !key.isEmpty { components.append(.key(String(key))) }
            rest = rest.dropFirst(key.count)
            if key.isEmpty && rest.isEmpty { return nil }
            while !rest.isEmpty {
                guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
                    let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0
                else { return nil }
                components.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
        }
        guard !components.isEmpty else { return nil }
        self.components = components
    }

    /// The value at this path, if there is one.
    func value(in json: JSON) -> JSON? {
        var current = json
        for component in components {
            switch (component, current) {
            case (.key(let key), .object):
                guard let next = current[key] else { return nil }
                current = next
            case (.index(let index), .array(let items)) where index < items.count:
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    var description: String {
        if components.isEmpty { return "(the whole value)" }
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
