/// A JSON value with object keys in document order: example values and defaults from the spec.
public enum JSON: Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([(key: String, value: JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.integer(a), .number(b)), let (.number(b), .integer(a)): Double(a) == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)):
            a.count == b.count && a.allSatisfy { pair in b.contains { $0.key == pair.key && $0.value == pair.value } }
        default: false
        }
    }

    /// The value under `key`, if this is an object that has it.
    public subscript(key: String) -> JSON? {
        if case .object(let pairs) = self { pairs.first { $0.key == key }?.value } else { nil }
    }

    /// Compact JSON text, keys in order.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .integer(let value): String(value)
        case .number(let value): value.isFinite ? String(value) : "null"
        case .string(let value): JSON.quoted(value)
        case .array(let items): "[" + items.map(\.description).joined(separator: ",") + "]"
        case .object(let pairs):
            "{" + pairs.map { JSON.quoted($0.key) + ":" + $0.value.description }.joined(separator: ",") + "}"
        }
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSON {
    /// The JSON meaning of a YAML node: plain `true`, `12`, `1.5`, `null` are typed, quoted text is a string.
    public init(_ node: YAMLNode) {
        switch node.content {
        case .sequence(let items): self = .array(items.map(JSON.init))
        case .mapping(let pairs): self = .object(pairs.map { (key: $0.key, value: JSON($0.value)) })
        case .scalar(let scalar):
            guard scalar.isPlain, scalar.tag == nil else {
                self = .string(scalar.text)
                return
            }
            switch scalar.text {
            case "null", "Null", "NULL", "~", "": self = .null
            case "true", "True", "TRUE": self = .bool(true)
            case "false", "False", "FALSE": self = .bool(false)
            default:
                if let integer = Int(scalar.text) {
                    self = .integer(integer)
                } else if scalar.text.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true,
                    let number = Double(scalar.text)
                {
                    self = .number(number)
                } else {
                    self = .string(scalar.text)
                }
            }
        }
    }
}
