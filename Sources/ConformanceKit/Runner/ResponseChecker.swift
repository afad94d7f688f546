import RouteGenCore

/// Judges a response by the spec alone: what every response must carry, and for the operation
/// it answers, the documented content type, fixed headers and body schema.
struct ResponseChecker {
    let spec: ConformanceSpec
    let validator: SchemaValidator

    init(spec: ConformanceSpec) {
        self.spec = spec
        validator = SchemaValidator(document: spec.document, formatProfiles: spec.section.formatProfiles)
    }

    /// The schema of problem bodies (`application/problem+json` responses).
    var problemSchema: Schema? {
        for operation in spec.document.operations {
            for response in operation.responses {
                if case .json("application/problem+json", let schema)? = response.content { return schema }
            }
        }
        return nil
    }

    /// Problems with `head` (and `body`, nil for HEAD and streams) as an answer to `request`.
    func problems(request: ClientRequest, head: ResponseHead, body: [UInt8]?) -> [String] {
        var found: [String] = []
        if head.header("Access-Control-Allow-Origin") == nil {
            found.append("no Access-Control-Allow-Origin header (the spec: every response carries it)")
        }
        let isStream = head.mediaType == "text/event-stream"
        if !isStream && head.status != 204 && head.header("Content-Length") == nil {
            found.append("no Content-Length header (the spec: every response carries it or is the event stream)")
        }
        let operation = spec.operations.operation(method: request.method, target: request.originTarget)
        guard let operation, let documented = operation.response(for: head.status) else {
            if head.status >= 400 {
                found += problemBodyProblems(head: head, body: body)
            } else if let operation, request.method != "OPTIONS" {
                found.append("status \(head.status) is not documented for \(operation.id) (documented: \(operation.responses.map(\.status)))")
            }
            return found
        }
        if let mediaType = documented.mediaType, !Self.matches(head, documented: mediaType) {
            found.append("Content-Type '\(head.header("Content-Type") ?? "none")', documented: \(mediaType)")
        }
        for constant in spec.headers.constants(operation: operation.id, status: head.status)
        where head.header(constant.name) != constant.value {
            found.append("header \(constant.name): '\(head.header(constant.name) ?? "missing")', documented: '\(constant.value)'")
        }
        guard let body, case .json(let mediaType, let schema)? = documented.content else { return found }
        found += jsonProblems(body, schema: schema, mediaType: mediaType, status: head.status)
        return found
    }

    /// The body parsed as JSON, or the reason it is not.
    func parseJSON(_ body: [UInt8]) -> Result<JSON, JSONParser.Failure> {
        do {
            return .success(try JSONParser.parse(body))
        } catch {
            return .failure(error)
        }
    }

    private func problemBodyProblems(head: ResponseHead, body: [UInt8]?) -> [String] {
        guard head.mediaType == "application/problem+json" else {
            return ["an error answer with Content-Type '\(head.header("Content-Type") ?? "none")', not application/problem+json"]
        }
        guard let body, let schema = problemSchema else { return [] }
        return jsonProblems(body, schema: schema, mediaType: "application/problem+json", status: head.status)
    }

    private func jsonProblems(_ body: [UInt8], schema: Schema, mediaType: String, status: Int) -> [String] {
        switch parseJSON(body) {
        case .failure(let failure):
            return ["the body is not JSON: \(failure)"]
        case .success(let json):
            var found = validator.validate(json, against: schema).map { "schema: \($0)" }
            if mediaType == "application/problem+json", let field = json["status"], field != .integer(status) {
                found.append("the problem's status \(field) differs from the response status \(status)")
            }
            return found
        }
    }

    /// Whether the answer's Content-Type is the documented media type: the same type (any case)
    /// and every parameter the spec writes (`text/plain; version=0.0.4`), others allowed.
    private static func matches(_ head: ResponseHead, documented: String) -> Bool {
        func parts(_ text: String) -> [String] {
            text.split(separator: ";").map { String($0).trimmingSpaces.lowercased() }
        }
        let wanted = parts(documented)
        guard head.mediaType == wanted.first else { return false }
        let sent = parts(head.header("Content-Type") ?? "")
        return wanted.dropFirst().allSatisfy(sent.dropFirst().contains)
    }
}
