extension InputReader {
    /// A `multipart/form-data` body (RFC 7578), read into the JSON value `rule` describes: a
    /// part for a `.file` property as a `MultipartFile`, any other as text read as its
    /// property's type (as a form field is); then checked against `rule` and decoded. A body
    /// that cannot be read is a 400 saying why; another media type, a 415.
    public mutating func multipartBody<Body: Decodable>(_ type: Body.Type, _ rule: SchemaRule, required: Bool, maxParts: Int) -> Body? {
        guard present(required: required), accepts("multipart/form-data") else { return nil }
        guard let boundary = MultipartParser.boundary(of: request.headers["Content-Type"] ?? "") else {
            validator.fail("body", "is not a valid multipart body: \(MultipartError.missingBoundary)")
            return nil
        }
        let parts: [MultipartPart]
        do {
            parts = try MultipartParser.parse(request.body, boundary: boundary, maxParts: maxParts)
        } catch {
            validator.fail("body", "is not a valid multipart body: \(error)")
            return nil
        }
        var properties: [PropertyRule] = []
        if case .object(let rules, _) = rule { properties = rules }
        var members: [String: JSONValue] = [:]
        for name in Set(parts.map(\.name)).sorted() {
            let named = parts.filter { $0.name == name }
            guard named.count == 1, let part = named.first else {
                validator.fail(FieldPath.member("body", name), "must be given once, not \(named.count) times")
                continue
            }
            let propertyRule = properties.first { $0.name == name }?.rule
            if case .file? = propertyRule {
                members[name] = MultipartFile(
                    filename: part.filename, contentType: part.contentType ?? "application/octet-stream", bytes: part.body
                ).jsonValue
            } else if let text = String(validating: part.body, as: UTF8.self) {
                members[name] = propertyRule.map { Self.formValue(text, as: $0) } ?? .string(text)
            } else {
                validator.fail(FieldPath.member("body", name), "is not valid UTF-8")
            }
        }
        return checkedAndDecoded(.object(members), rule)
    }

    /// Which of an operation's body media types the request's `Content-Type` is: the index of
    /// the most specific that matches (`image/png` before `image/*` before `*/*`; the spec's
    /// order on a tie). Nil without a body (a failure when `required`) or when none matches (415).
    public mutating func bodyMediaType(_ mediaTypes: [String], required: Bool) -> Int? {
        guard present(required: required) else { return nil }
        let contentType = request.headers["Content-Type"] ?? ""
        let specificity = { (mediaType: String) in mediaType == "*/*" ? 0 : mediaType.hasSuffix("/*") ? 1 : 2 }
        let matching = mediaTypes.indices.filter { Self.mediaType(contentType, matches: mediaTypes[$0]) }
        guard let best = matching.max(by: { specificity(mediaTypes[$0]) < specificity(mediaTypes[$1]) || (specificity(mediaTypes[$0]) == specificity(mediaTypes[$1]) && $0 > $1) }) else {
            unsupportedMediaType = (expected: mediaTypes.joined(separator: " or "), found: contentType.isEmpty ? "(none)" : contentType)
            return nil
        }
        return best
    }
}
