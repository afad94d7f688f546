import HTTPServer

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

    /// `name` as a JSON string literal (the transport's `jsonQuoted`, which problem bodies use too).
    static func quoted(_ name: String) -> String {
        jsonQuoted(name)
    }
}
