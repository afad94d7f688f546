/// Answers whose JSON body a handler already holds encoded: an output with a JSON response of a
/// schema gets one `encoded` case and, per such response, a factory (`created(encoded:)`) that
/// takes the body as `APIRuntime.EncodedJSON` of the response's schema type, so the body keeps to
/// the declared schema while it is not encoded again.
extension OperationsRenderer {
    /// The responses that get a factory: one JSON media type (not a problem) with a fixed status.
    /// A range or `default` case would need the router's options to refuse an undocumented status.
    static func preEncodable(_ operation: Operation) -> [Response] {
        operation.responses.filter { response in
            guard !response.hasSeveralMediaTypes, case .code = response.pattern,
                  case .json(let mediaType, _)? = response.content, mediaType != problemMediaType else { return false }
            return true
        }
    }

    /// The `encoded` case of an output with a pre-encodable response, or nothing.
    static func encodedCase(_ operation: Operation) -> [SwiftCode] {
        guard !preEncodable(operation).isEmpty else { return [] }
        return [
            .doc("A JSON answer whose body came encoded, made by a `…(encoded:)` factory with its case's status, media type and headers."),
            .line("case encoded(APIRuntime.EncodedJSONResponse)"),
        ]
    }

    /// The `case` of `response(_:)` for the `encoded` case.
    static func encodedEncoding(_ operation: Operation) -> [SwiftCode] {
        preEncodable(operation).isEmpty ? [] : [.line("case .encoded(let encoded):"), .line("    return encoded.response")]
    }

    /// One factory per pre-encodable response.
    static func encodedFactories(_ operation: Operation, _ names: GeneratedNames) -> [SwiftCode] {
        preEncodable(operation).flatMap { response -> [SwiftCode] in
            guard case .json(let mediaType, let schema)? = response.content else { return [] }
            let name = caseName(response)
            let headers = headersType(response, names)
            let parameters = ["encoded body: APIRuntime.EncodedJSON<\(SchemaSpelling.swiftType(schema, names))>"] + (headers.map { ["headers: \($0)"] } ?? [])
            let make = "APIRuntime.EncodedJSONResponse(\(response.status), body, contentType: \(SwiftNames.literal(mediaType)))"
            let writes = headerWrites(response)
            let body: [SwiftCode] = writes.isEmpty
                ? [.line(".encoded(\(make))")]
                : [.block(".encoded(\(make) { response in", writes.map { line in
                    if case .line(let text) = line { .line(String(text.drop { $0 == " " })) } else { line }
                }, opening: "", closing: "})")]
            return [
                .blank,
                .doc("\(response.pattern) with its body already encoded (the bytes `\(name)` would be answered with)."),
                .block("public static func \(SwiftNames.escaped(name))(\(parameters.joined(separator: ", "))) -> Self", body),
            ]
        }
    }
}
