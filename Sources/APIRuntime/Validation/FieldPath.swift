/// The spelling of `FieldError.field` (api.yaml): a place (`body`, `query`, `path`, `header`)
/// followed by one step per level. A name of ASCII letters, digits, `_` and `-` is the step
/// `.name`; any other name, the empty one included, is `["…"]` with the name as a JSON string, so
/// every name has exactly one spelling and every spelling matches the spec's pattern (which has
/// no `.` that a line break could escape); an array index is `[n]`.
public enum FieldPath {
    /// `base` followed by the step for the member `name`: `body.name`, `body[""]`, `body["a\nb"]`.
    public static func member(_ base: String, _ name: String) -> String {
        isPlain(name) ? "\(base).\(name)" : "\(base)[\(quoted(name))]"
    }

    /// `base` followed by the step for the array index `index`: `body.members[0]`.
    public static func index(_ base: String, _ index: Int) -> String {
        "\(base)[\(index)]"
    }

    /// Whether `name` can be written as `.name`: non-empty, only `[A-Za-z0-9_-]`.
    static func isPlain(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// `name` as a JSON string: `"` and `\` escaped, U+0000 to U+001F as `\b`, `\t`, `\n`, `\f`,
    /// `\r` or `\u00xx` (lowercase hex); everything else as it is.
    static func quoted(_ name: String) -> String {
        var result = "\""
        for scalar in name.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\u{08}": result += "\\b"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\u{0C}": result += "\\f"
            case "\r": result += "\\r"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
