import Foundation
import HTTPServer

/// Reads an operation's input from a request: parameters and JSON body, each checked against its
/// rule. Every failing field is collected; `failure` then answers for all of them at once.
public struct InputReader {
    /// Where a parameter travels; used in the `field` of a validation error.
    public enum Place: String, Sendable {
        case path, query, header
    }

    private let request: HTTPRequest
    private let pathParameters: [String: String]
    private let query: QueryParameters
    private var validator = SchemaValidator()
    private var unsupportedMediaType: String?

    public init(request: HTTPRequest, pathParameters: [String: String]) {
        self.request = request
        self.pathParameters = pathParameters
        self.query = QueryParameters(request.query)
        for name in query.malformed { validator.fail("query.\(name)", "is not valid percent-encoded UTF-8") }
    }

    private func raw(_ place: Place, _ name: String) -> String? {
        switch place {
        case .path: pathParameters[name]
        case .query: query[name]
        case .header: request.headers[name]
        }
    }

    private mutating func missing(_ place: Place, _ name: String, required: Bool) {
        if required { validator.fail("\(place.rawValue).\(name)", "is required") }
    }

    /// A string parameter, checked against `rule`.
    public mutating func string(_ place: Place, _ name: String, _ rule: StringRule, required: Bool) -> String? {
        guard let text = raw(place, name) else {
            missing(place, name, required: required)
            return nil
        }
        validator.check(text, against: rule, at: "\(place.rawValue).\(name)")
        return text
    }

    /// An integer parameter, checked against `rule`.
    public mutating func integer(_ place: Place, _ name: String, _ rule: NumberRule, required: Bool) -> Int? {
        numeric(place, name, rule, required: required, expected: "an integer") { Int($0).map { ($0, Double($0)) } }
    }

    /// A number parameter, checked against `rule`.
    public mutating func number(_ place: Place, _ name: String, _ rule: NumberRule, required: Bool) -> Double? {
        numeric(place, name, rule, required: required, expected: "a number") { text in
            Double(text).flatMap { $0.isFinite ? ($0, $0) : nil }
        }
    }

    /// A parameter parsed by `parse` into its value and that value as a `Double` for `rule`.
    private mutating func numeric<Value>(
        _ place: Place, _ name: String, _ rule: NumberRule, required: Bool, expected: String,
        parse: (String) -> (Value, Double)?
    ) -> Value? {
        guard let text = raw(place, name) else {
            missing(place, name, required: required)
            return nil
        }
        guard let (value, number) = parse(text) else {
            validator.fail("\(place.rawValue).\(name)", "must be \(expected)")
            return nil
        }
        validator.check(number, against: rule, at: "\(place.rawValue).\(name)")
        return value
    }

    /// A boolean parameter (`true` or `false`).
    public mutating func boolean(_ place: Place, _ name: String, required: Bool) -> Bool? {
        guard let text = raw(place, name) else {
            missing(place, name, required: required)
            return nil
        }
        guard let value = Bool(text) else {
            validator.fail("\(place.rawValue).\(name)", "must be true or false")
            return nil
        }
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
            unsupportedMediaType = contentType.isEmpty ? "(none)" : contentType
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
            return try JSONDecoder().decode(Body.self, from: Data(request.body))
        } catch {
            validator.fail("body", "does not match its schema: \(error)")
            return nil
        }
    }

    /// The answer when the input is not acceptable: 404 when a path parameter fails its schema
    /// (the path names no resource), 415 for a body in another media type, else 400 naming every
    /// failing field; nil when the input is good.
    public func failure() -> HTTPResponse? {
        if let pathError = validator.errors.first(where: { $0.field.hasPrefix("path.") }) {
            let name = pathError.field.dropFirst("path.".count)
            return ProblemDetails(
                kind: "not-found", status: .notFound,
                detail: "no resource at \(request.path): '\(pathParameters[String(name)] ?? "")' is not a valid \(name)"
            ).response()
        }
        if let unsupportedMediaType {
            return ProblemDetails(
                kind: "unsupported-media-type", status: .unsupportedMediaType,
                detail: "the body must be application/json, not \(unsupportedMediaType)"
            ).response()
        }
        guard !validator.errors.isEmpty else { return nil }
        let fields = validator.errors.map(\.field).joined(separator: ", ")
        return ProblemDetails(
            kind: "validation", status: .badRequest, detail: "invalid request: \(fields)", errors: validator.errors
        ).response()
    }

    /// Whether a `Content-Type` value is JSON (`application/json`, parameters allowed).
    static func isJSON(_ contentType: String) -> Bool {
        let essence = contentType.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces) ?? ""
        return essence.caseInsensitiveCompare("application/json") == .orderedSame
    }
}
