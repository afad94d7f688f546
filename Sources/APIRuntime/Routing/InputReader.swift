import Foundation
import HTTPServer

/// Reads an operation's input from a request: parameters and JSON body, each checked against its
/// rule. Every failing field is collected; `failure` then answers for all of them at once.
public struct InputReader {
    /// Where a parameter travels; used in the `field` of a validation error.
    public enum Place: String, Sendable {
        case path, query, header
    }

    let request: HTTPRequest
    private let pathParameters: [String: String]
    let query: QueryParameters
    var validator = SchemaValidator()
    /// The media type the body had to have and the one it had, when they differ (415).
    var unsupportedMediaType: (expected: String, found: String)?
    /// The first path parameter that failed, recorded apart from the field text (whose spelling
    /// depends on the name: `path.id`, `path["a b"]`), since it makes the answer 404.
    private var invalidPathParameter: String?

    public init(request: HTTPRequest, pathParameters: [String: String]) {
        self.request = request
        self.pathParameters = pathParameters
        self.query = QueryParameters(request.query)
        for name in query.malformed { validator.fail(FieldPath.member("query", name), "is not valid percent-encoded UTF-8") }
    }

    /// The parameter's text; nil (with the failure recorded) when it is missing but required, or
    /// given more than once: a parameter is one value, and picking one of several would hide
    /// what the client meant.
    private mutating func raw(_ place: Place, _ name: String, required: Bool) -> String? {
        let values: [String] =
            switch place {
            case .path: pathParameters[name].map { [$0] } ?? []
            case .query: query.pairs.filter { $0.name == name }.map(\.value)
            case .header: request.headers.values(for: name)
            }
        guard values.count <= 1 else {
            validator.fail(FieldPath.member(place.rawValue, name), "must be given once, not \(values.count) times")
            return nil
        }
        guard let value = values.first else {
            missing(place, name, required: required)
            return nil
        }
        return value
    }

    private mutating func missing(_ place: Place, _ name: String, required: Bool) {
        if required { validator.fail(FieldPath.member(place.rawValue, name), "is required") }
    }

    /// A string parameter, checked against `rule`.
    public mutating func string(_ place: Place, _ name: String, _ rule: StringRule, required: Bool) -> String? {
        noting(place, name) { reader in
            guard let text = reader.raw(place, name, required: required) else { return nil }
            reader.validator.check(text, against: rule, at: FieldPath.member(place.rawValue, name))
            return text
        }
    }

    /// Runs `read`, recording `name` as the failing path parameter when it adds a failure.
    private mutating func noting<Value>(_ place: Place, _ name: String, _ read: (inout InputReader) -> Value?) -> Value? {
        let before = validator.errors.count
        let value = read(&self)
        if place == .path, validator.errors.count > before, invalidPathParameter == nil { invalidPathParameter = name }
        return value
    }

    /// An integer parameter in canonical form (`ParameterSyntax.integer`), checked against `rule`.
    public mutating func integer(_ place: Place, _ name: String, _ rule: NumberRule, required: Bool) -> Int? {
        noting(place, name) { reader in
            reader.raw(place, name, required: required).flatMap { reader.integer($0, rule, at: FieldPath.member(place.rawValue, name)) }
        }
    }

    /// A number parameter in JSON's form (`ParameterSyntax.number`), checked against `rule`.
    public mutating func number(_ place: Place, _ name: String, _ rule: NumberRule, required: Bool) -> Double? {
        noting(place, name) { reader in
            reader.raw(place, name, required: required).flatMap { reader.number($0, rule, at: FieldPath.member(place.rawValue, name)) }
        }
    }

    /// A boolean parameter (`true` or `false`).
    public mutating func boolean(_ place: Place, _ name: String, required: Bool) -> Bool? {
        noting(place, name) { reader in
            reader.raw(place, name, required: required).flatMap { reader.boolean($0, at: FieldPath.member(place.rawValue, name)) }
        }
    }

    /// `text` as an integer checked against `rule`; nil, with the failure recorded at `field`, otherwise.
    mutating func integer(_ text: String, _ rule: NumberRule, at field: String) -> Int? {
        numeric(text, rule, at: field, expected: "an integer") { ParameterSyntax.integer($0).map { ($0, Double($0)) } }
    }

    /// `text` as a number checked against `rule`.
    mutating func number(_ text: String, _ rule: NumberRule, at field: String) -> Double? {
        numeric(text, rule, at: field, expected: "a number") { ParameterSyntax.number($0).map { ($0, $0) } }
    }

    /// `text` as `true` or `false`.
    mutating func boolean(_ text: String, at field: String) -> Bool? {
        guard let value = Bool(text) else {
            validator.fail(field, "must be true or false")
            return nil
        }
        return value
    }

    /// `text` parsed by `parse` into its value and that value as a `Double` for `rule`.
    private mutating func numeric<Value>(
        _ text: String, _ rule: NumberRule, at field: String, expected: String, parse: (String) -> (Value, Double)?
    ) -> Value? {
        guard let (value, number) = parse(text) else {
            validator.fail(field, "must be \(expected)")
            return nil
        }
        validator.check(number, against: rule, at: field)
        return value
    }

    /// The JSON body, checked against `rule` and then decoded. An empty body is `nil` (an error
    /// when `required`); a body in another media type makes the answer 415.
    public mutating func jsonBody<Body: Decodable>(_ type: Body.Type, _ rule: SchemaRule, required: Bool) -> Body? {
        guard !request.body.isEmpty else {
            if required { validator.fail("body", "is required") }
            return nil
        }
        let contentType = request.headers["Content-Type"] ?? ""
        guard Self.isJSON(contentType) else {
            unsupportedMediaType = (expected: "application/json", found: contentType.isEmpty ? "(none)" : contentType)
            return nil
        }
        let value: JSONValue
        do {
            value = try JSONReader.parse(request.body)
        } catch {
            validator.fail("body", "is not valid JSON: \(error)")
            return nil
        }
        let before = validator.errors.count
        validator.check(value, against: rule, at: "body")
        guard validator.errors.count == before else { return nil }
        do {
            // From the value already parsed; a type `JSONDecoder` has a strategy for, from the bytes.
            do {
                return try JSONValueDecoder().decode(Body.self, from: value)
            } catch is JSONValueDecoder.Unsupported {
                return try JSONDecoder().decode(Body.self, from: Data(request.body))
            }
        } catch {
            validator.fail("body", "does not match its schema: \(error)")
            return nil
        }
    }

    /// The problem when the input is not acceptable: 404 when a path parameter fails its schema
    /// (the path names no resource), 415 for a body in another media type, else 400 naming every
    /// failing field; nil when the input is good. The router writes it with its encoder.
    public func failure() -> ProblemDetails? {
        if let name = invalidPathParameter {
            return ProblemDetails(
                kind: .notFound, status: .notFound,
                detail: "no resource at \(request.path): '\(pathParameters[name] ?? "")' is not a valid \(name)")
        }
        if let unsupportedMediaType {
            return ProblemDetails(
                kind: .unsupportedMediaType, status: .unsupportedMediaType,
                detail: "the body must be \(unsupportedMediaType.expected), not \(unsupportedMediaType.found)")
        }
        guard !validator.errors.isEmpty else { return nil }
        let fields = validator.errors.map(\.field).joined(separator: ", ")
        return ProblemDetails(kind: .validation, status: .badRequest, detail: "invalid request: \(fields)", errors: validator.errors)
    }

    /// Whether a `Content-Type` value is JSON the reader can read: `application/json`, any
    /// parameters, but a `charset` only if it is `utf-8` (any case, optionally quoted), since the
    /// body is read as UTF-8.
    static func isJSON(_ contentType: String) -> Bool {
        // Without Foundation (`trimmingCharacters`, `caseInsensitiveCompare`): this runs on every
        // request with a body, and HTTP's whitespace is spaces and tabs.
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        guard let essence = parts.first, essence.trimmingWhitespace().equalsIgnoringASCIICase("application/json") else { return false }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair[0].trimmingWhitespace().equalsIgnoringASCIICase("charset") else { continue }
            var value = pair.count > 1 ? pair[1].trimmingWhitespace() : ""
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard value.equalsIgnoringASCIICase("utf-8") else { return false }
        }
        return true
    }
}

extension String {
    /// Whether the two are equal but for the case of ASCII letters.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && zip(utf8, other.utf8).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(a | 0x20))
        }
    }
}
