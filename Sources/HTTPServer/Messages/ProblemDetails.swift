/// An RFC 9457 problem body (`application/problem+json`).
///
/// Every error a client can cause is answered with one of these, by the transport
/// for framing and limit errors and by routers for validation and routing errors.
public struct ProblemDetails: Sendable, Equatable, Codable {
    /// One failing field of a validation problem.
    public struct FieldError: Sendable, Equatable, Codable {
        /// Where the field is: `body.name`, `query.limit`, `path.room`, `header.X-User-Id`.
        public var field: String
        /// What is wrong with it, in words.
        public var reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var errors: [FieldError]?

    public init(type: String, title: String, status: Int, detail: String, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
    }

    /// The base of every problem `type` this server sends.
    public static let typeBase = "https://chat.example/problems/"

    /// A problem of a kind (`not-found`, `validation`, …) with the status's standard title.
    public init(kind: String, status: HTTPStatus, detail: String, errors: [FieldError]? = nil) {
        self.init(
            type: ProblemDetails.typeBase + kind,
            title: status.reasonPhrase,
            status: status.code,
            detail: detail,
            errors: errors
        )
    }

    /// The JSON text of this problem.
    public var json: String {
        var out = "{\"type\":\(jsonQuoted(type)),\"title\":\(jsonQuoted(title)),\"status\":\(status),\"detail\":\(jsonQuoted(detail))"
        if let errors {
            out += ",\"errors\":["
            out += errors.map { "{\"field\":\(jsonQuoted($0.field)),\"reason\":\(jsonQuoted($0.reason))}" }
                .joined(separator: ",")
            out += "]"
        }
        out += "}"
        return out
    }

    /// A complete response carrying this problem.
    public func response(headers: HTTPHeaders = [:]) -> HTTPResponse {
        HTTPResponse(
            status: HTTPStatus(code: status),
            contentType: "application/problem+json",
            text: json,
            headers: headers
        )
    }
}

/// `value` as a JSON string literal, quotes included.
public func jsonQuoted(_ value: String) -> String {
    var out = "\""
    out.reserveCapacity(value.utf8.count + 2)
    for scalar in value.unicodeScalars {
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
    out += "\""
    return out
}
