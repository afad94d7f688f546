/// Response headers in the generated output: fixed ones written by `response(_:)`, the others
/// carried by the case as a `…Headers` value.
extension OperationsRenderer {
    /// The name of the struct holding a response's typed headers, nil when it has none.
    static func headersType(_ response: Response) -> String? {
        response.typedHeaders.isEmpty ? nil : SwiftNames.type(caseName(response)) + "Headers"
    }

    /// `, headers: .init()` when a case made from a problem needs its (all optional) headers.
    static func defaultHeaders(_ response: Response) -> String {
        headersType(response) == nil ? "" : ", headers: .init()"
    }

    /// The member of each typed header in the `…Headers` struct: its mangled name, the later of
    /// two that meet numbered (`X-Rate-Limit`, `x-rate-limit-` → `xRateLimit`, `xRateLimit_2`).
    static func headerMembers(_ response: Response) -> [String: String] {
        GeneratedNames.unique(response.typedHeaders.map(\.name), spelling: SwiftNames.member)
    }

    /// The struct of a response's typed headers.
    static func headersStruct(_ response: Response, _ names: GeneratedNames) -> SwiftCode? {
        guard let typeName = headersType(response) else { return nil }
        let members = headerMembers(response)
        let fields = response.typedHeaders.map { header in
            (name: members[header.name] ?? SwiftNames.member(header.name), wire: header.name, doc: header.description,
             type: SchemaSpelling.optional(SchemaSpelling.swiftType(header.schema, names), unless: header.isRequired),
             isRequired: header.isRequired)
        }
        return .group([
            .blank,
            .doc("The headers of the \(response.pattern) response."),
            .block("public struct \(typeName): Swift.Sendable, Swift.Hashable", fields.map {
                .group([.doc(($0.doc.map { $0 + "\n\n" } ?? "") + "`\($0.wire)`"), .line("public var \($0.name): \($0.type)")])
            } + [
                .blank,
                .block("public init(" + fields.map { "\($0.name): \($0.type)\($0.isRequired ? "" : " = nil")" }.joined(separator: ", ") + ")",
                       fields.map { .line("self.\($0.name.filter { $0 != "`" }) = \($0.name)") }),
            ]),
        ])
    }

    /// The lines of `response(_:)` that set a response's headers on `response`.
    static func headerWrites(_ response: Response) -> [SwiftCode] {
        let members = headerMembers(response)
        return response.headers.map { header in
            if let fixed = header.fixedValue {
                return .line("    response.headers.set(\(SwiftNames.literal(header.name)), \(SwiftNames.literal(fixed)))")
            }
            let member = "headers." + (members[header.name] ?? SwiftNames.member(header.name)).filter { $0 != "`" }
            let text = { (value: String) in
                if case .string = header.schema.kind { value } else { "Swift.String(\(value))" }
            }
            if header.isRequired && !header.schema.isNullable {
                return .line("    response.headers.set(\(SwiftNames.literal(header.name)), \(text(member)))")
            }
            return .line("    if let value = \(member) { response.headers.set(\(SwiftNames.literal(header.name)), \(text("value"))) }")
        }
    }
}

extension Response {
    /// The headers the handler gives: all but the fixed ones.
    var typedHeaders: [ResponseHeader] { headers.filter { $0.fixedValue == nil } }
}
