/// The one writer of problem bodies: every problem the server sends, whoever made it, is
/// encoded here, with `type` = `typeBase` + kind.
public struct ProblemEncoder: Sendable, Equatable {
    /// What each problem's `type` starts with, such as `https://chat.example/problems/`.
    public var typeBase: String

    /// An encoder whose types start with `typeBase`.
    public init(typeBase: String) {
        self.typeBase = typeBase
    }

    /// What the transport uses until an application configures its own base: types under
    /// `/problems/`, a relative reference (RFC 9457 §3.1.1).
    public static let unconfigured = ProblemEncoder(typeBase: "/problems/")

    /// The `type` URI of `kind`.
    public func type(of kind: ProblemKind) -> String {
        typeBase + kind.rawValue
    }

    /// The JSON text of `problem`, keys in a fixed order.
    public func json(_ problem: ProblemDetails) -> String {
        var out = "{\"type\":\(jsonQuoted(type(of: problem.kind))),\"title\":\(jsonQuoted(problem.title))"
        out += ",\"status\":\(problem.status.code),\"detail\":\(jsonQuoted(problem.detail))"
        if let errors = problem.errors {
            out += ",\"errors\":["
            out += errors.map { "{\"field\":\(jsonQuoted($0.field)),\"reason\":\(jsonQuoted($0.reason))}" }
                .joined(separator: ",")
            out += "]"
        }
        out += "}"
        return out
    }

    /// A complete response carrying `problem`, with `headers` added.
    public func response(_ problem: ProblemDetails, headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(status: problem.status, contentType: "application/problem+json", text: json(problem), headers: headers)
    }
}

/// `value` as a JSON string literal, quotes included: `"` and `\` escaped, U+0000 to U+001F
/// as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx` (lowercase hex), everything else as it is.
public func jsonQuoted(_ value: String) -> String {
    var out = "\""
    out.reserveCapacity(value.utf8.count + 2)
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{08}": out += "\\b"
        case "\n": out += "\\n"
        case "\u{0C}": out += "\\f"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    out += "\""
    return out
}
