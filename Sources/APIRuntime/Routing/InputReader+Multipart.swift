extension InputReader {
    /// A `multipart/form-data` body (RFC 7578), read into the JSON value `rule` describes: a
    /// part for a `.file` property as a `MultipartFile`, a primitive as text read as its
    /// property's type (as a form field is), an object (or any other structured value) as the
    /// JSON the part holds, and an array property from every part of its name, one item each;
    /// then checked against `rule` and decoded. A body that cannot be read is a 400 saying why;
    /// another media type, a 415.
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
            let propertyRule = properties.first { $0.name == name }?.rule.withoutNull
            if case .array(let items, _, _)? = propertyRule {
                // Repeated parts, one item each.
                members[name] = .array(named.enumerated().compactMap { index, part in
                    partValue(part, as: items.withoutNull, at: FieldPath.index(FieldPath.member("body", name), index))
                })
                continue
            }
            guard named.count == 1, let part = named.first else {
                validator.fail(FieldPath.member("body", name), "must be given once, not \(named.count) times")
                continue
            }
            members[name] = partValue(part, as: propertyRule, at: FieldPath.member("body", name))
        }
        return checkedAndDecoded(.object(members), rule)
    }

    /// One part as the value of `rule`: a file, a primitive's text, or the JSON of a structured value.
    private mutating func partValue(_ part: MultipartPart, as rule: SchemaRule?, at field: String) -> JSONValue? {
        if case .file? = rule {
            return MultipartFile(filename: part.filename, contentType: part.contentType ?? "application/octet-stream", bytes: part.body).jsonValue
        }
        guard let text = String(validating: part.body, as: UTF8.self) else {
            validator.fail(field, "is not valid UTF-8")
            return nil
        }
        switch rule {
        case nil, .string?, .integer?, .number?, .boolean?:
            return rule.map { Self.formValue(text, as: $0) } ?? .string(text)
        case .object?, .map?:
            do {
                return try JSONReader.parse(part.body)
            } catch {
                validator.fail(field, "is not JSON: \(error)")
                return nil
            }
        default:
            // A union or any value: the part's JSON, or its text when it is not JSON (`whisper-1`).
            return (try? JSONReader.parse(part.body)) ?? .string(text)
        }
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
