import Foundation

extension InputReader {
    /// An `application/x-www-form-urlencoded` body, read into the JSON value `rule` describes
    /// (each property's text as its rule's type; an array property from every pair of its name),
    /// checked against `rule` and decoded. Another media type makes the answer 415.
    public mutating func formBody<Body: Decodable>(_ type: Body.Type, _ rule: SchemaRule, required: Bool) -> Body? {
        guard present(required: required), accepts("application/x-www-form-urlencoded") else { return nil }
        let pairs = QueryParameters(Substring(decoding: request.body, as: UTF8.self))
        for name in pairs.malformed { validator.fail(FieldPath.member("body", name), "is not valid percent-encoded UTF-8") }
        var properties: [PropertyRule] = []
        if case .object(let rules, _) = rule { properties = rules }
        var members: [String: JSONValue] = [:]
        for name in Set(pairs.pairs.map(\.name)) {
            let texts = pairs.pairs.filter { $0.name == name }.map(\.value)
            let propertyRule = properties.first { $0.name == name }?.rule
            if case .array(let items, _, _)? = propertyRule {
                members[name] = .array(texts.map { Self.formValue($0, as: items) })
            } else if texts.count == 1 {
                members[name] = propertyRule.map { Self.formValue(texts[0], as: $0) } ?? .string(texts[0])
            } else {
                validator.fail(FieldPath.member("body", name), "must be given once, not \(texts.count) times")
            }
        }
        return checkedAndDecoded(.object(members), rule)
    }

    /// A `text/plain` body (UTF-8), checked against `rule` (a string rule).
    public mutating func textBody(_ rule: SchemaRule, required: Bool) -> String? {
        guard present(required: required), accepts("text/plain", charsetMustBeUTF8: true) else { return nil }
        guard let text = String(validating: request.body, as: UTF8.self) else {
            validator.fail("body", "is not valid UTF-8")
            return nil
        }
        let before = validator.errors.count
        validator.check(.string(text), against: rule, at: "body")
        return validator.errors.count == before ? text : nil
    }

    /// A body of raw bytes whose `Content-Type` is `mediaType` (`image/*` takes any image,
    /// `*/*` anything); not checked further.
    public mutating func bytesBody(mediaType: String, required: Bool) -> [UInt8]? {
        guard present(required: required), accepts(mediaType) else { return nil }
        return request.body
    }

    /// Whether there is a body; an empty one fails when `required`.
    mutating func present(required: Bool) -> Bool {
        guard request.body.isEmpty else { return true }
        if required { validator.fail("body", "is required") }
        return false
    }

    /// Whether the request's `Content-Type` is `mediaType` (or within its wildcard); the
    /// answer is 415 otherwise.
    mutating func accepts(_ mediaType: String, charsetMustBeUTF8: Bool = false) -> Bool {
        let contentType = request.headers["Content-Type"] ?? ""
        if Self.mediaType(contentType, matches: mediaType, charsetMustBeUTF8: charsetMustBeUTF8) { return true }
        unsupportedMediaType = (expected: mediaType, found: contentType.isEmpty ? "(none)" : contentType)
        return false
    }

    /// Whether `contentType` (with any parameters) is `declared`, compared without case;
    /// `type/*` and `*/*` take any subtype and any type.
    static func mediaType(_ contentType: String, matches declared: String, charsetMustBeUTF8: Bool = false) -> Bool {
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false)
        let essence = (parts.first?.trimmingCharacters(in: .whitespaces) ?? "").lowercased()
        let wanted = declared.lowercased()
        let typeMatches: Bool
        if wanted == "*/*" {
            typeMatches = !essence.isEmpty
        } else if wanted.hasSuffix("/*") {
            typeMatches = essence.hasPrefix(wanted.dropLast())
        } else {
            typeMatches = essence == wanted
        }
        guard typeMatches, charsetMustBeUTF8 else { return typeMatches }
        return isJSON("application/json" + contentType.dropFirst(parts.first?.count ?? 0))  // the same charset rule
    }

    /// A form field's text as the JSON value its rule expects; text that is not one stays a
    /// string, so the check names the field and what it must be.
    static func formValue(_ text: String, as rule: SchemaRule) -> JSONValue {
        switch rule {
        case .integer: ParameterSyntax.integer(text).map(JSONValue.integer) ?? .string(text)
        case .number: ParameterSyntax.number(text).map(JSONValue.number) ?? .string(text)
        case .boolean: Bool(text).map(JSONValue.bool) ?? .string(text)
        default: .string(text)
        }
    }

    /// `value` checked against `rule`, then decoded as `Body`; nil with the failures recorded.
    mutating func checkedAndDecoded<Body: Decodable>(_ value: JSONValue, _ rule: SchemaRule) -> Body? {
        let before = validator.errors.count
        validator.check(value, against: rule, at: "body")
        guard validator.errors.count == before else { return nil }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(value.jsonText.utf8))
        } catch {
            validator.fail("body", "does not match its schema: \(error)")
            return nil
        }
    }
}
