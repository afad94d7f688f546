extension SpecReader {
    /// The fields of an RFC 9457 problem as the runtime's `ProblemDetails` writes them, and
    /// whether each is a string (else an integer). `errors` is optional.
    static let problemFields: [(name: String, isString: Bool)] = [
        ("type", true), ("title", true), ("status", false), ("detail", true),
    ]

    /// Checks that every `application/problem+json` response has a schema the runtime's
    /// `ProblemDetails` fits, since that is what generated code sends for it.
    mutating func checkProblemResponses(_ operations: [Operation], schemas: [(name: String, schema: Schema)]) {
        for operation in operations {
            for response in operation.responses {
                guard case .json(let mediaType, let schema)? = response.content, mediaType == "application/problem+json" else {
                    continue
                }
                guard let mismatch = Self.problemMismatch(schema, schemas: schemas) else { continue }
                diagnostics.warn(.problemSchemaMismatch(response.pattern, operationID: operation.id, mismatch: mismatch), at: schema.location)
            }
        }
    }

    /// What keeps `schema` from describing a `ProblemDetails`, or nil when it does.
    static func problemMismatch(_ schema: Schema, schemas: [(name: String, schema: Schema)]) -> Diagnostic.ProblemMismatch? {
        var resolved = schema
        var seen: Set<String> = []
        while case .reference(let name) = resolved.kind {
            guard seen.insert(name).inserted, let target = schemas.first(where: { $0.name == name })?.schema else { return nil }
            resolved = target
        }
        guard case .object(let shape) = resolved.kind else { return .notAnObject }
        for field in problemFields {
            guard let property = shape.properties.first(where: { $0.name == field.name }) else {
                return .missing(field.name)
            }
            switch (property.schema.kind, field.isString) {
            case (.string, true), (.integer, false): continue
            default: return .notOfItsType(field.name, isString: field.isString)
            }
        }
        let known = Set(problemFields.map(\.name) + ["errors"])
        if let extra = shape.properties.first(where: { $0.isRequired && !known.contains($0.name) }) {
            return .requiresOther(extra.name)
        }
        if let errors = shape.properties.first(where: { $0.name == "errors" }) {
            guard case .array = errors.schema.kind else { return .errorsNotAnArray }
        }
        return nil
    }
}
