/// Spellings of spec names as Swift identifiers and literals.
public enum SwiftNames {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "func", "import", "init", "inout", "internal", "let",
        "operator", "private", "protocol", "public", "static", "struct", "subscript", "typealias", "var", "break",
        "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat",
        "return", "switch", "where", "while", "as", "catch", "false", "is", "nil", "rethrows", "super", "self",
        "Self", "throw", "throws", "true", "try", "Type", "Protocol", "any", "some",
    ]

    /// The words of a name: split at non-alphanumerics and lower-to-upper changes.
    static func words(_ name: String) -> [String] {
        var words: [String] = []
        var current = ""
        var previous: Character?
        for character in name {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current) }
                current = ""
                previous = nil
                continue
            }
            if let previous, previous.isLowercase || previous.isNumber, character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
            previous = character
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `UpperCamelCase`: `createUser` → `CreateUser`.
    public static func type(_ name: String) -> String {
        let result = words(name).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        return escaped(result.first?.isNumber != false ? "_" + result : result)
    }

    /// `lowerCamelCase`: `X-User-Id` → `xUserId`, `Last-Event-ID` → `lastEventID`.
    public static func member(_ name: String) -> String {
        let parts = words(name)
        guard let first = parts.first else { return "_" }
        let head = first.allSatisfy(\.isUppercase) && parts.count > 1 ? first.lowercased() : first.prefix(1).lowercased() + first.dropFirst()
        let result = head + parts.dropFirst().map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if result.first?.isNumber == true || unescapableMembers.contains(result) { return "_" + result }
        return escaped(result)
    }

    /// Members that backticks do not save: a parameter `self` hides `self`, `x.init` is an
    /// initializer. They get a leading `_`, which `member` writes nowhere else but before a digit.
    static let unescapableMembers: Set<String> = ["self", "init", "deinit", "subscript"]

    /// A keyword in backticks, anything else as it is.
    static func escaped(_ identifier: String) -> String {
        keywords.contains(identifier) ? "`\(identifier)`" : identifier
    }

    /// A Swift string literal for `text`.
    public static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// The case name for a status: `200` → `ok`, `404` → `notFound`, else `status418`.
    public static func statusCase(_ code: Int) -> String {
        let names: [Int: String] = [
            200: "ok", 201: "created", 202: "accepted", 204: "noContent", 301: "movedPermanently", 302: "found",
            304: "notModified", 400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "notFound",
            405: "methodNotAllowed", 409: "conflict", 410: "gone", 413: "contentTooLarge", 415: "unsupportedMediaType",
            422: "unprocessableContent", 429: "tooManyRequests", 431: "requestHeaderFieldsTooLarge",
            500: "internalServerError", 503: "serviceUnavailable",
        ]
        return names[code] ?? "status\(code)"
    }
}
