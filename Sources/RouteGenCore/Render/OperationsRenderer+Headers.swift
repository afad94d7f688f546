/// Response headers in the generated output: fixed ones written by `response(_:)`, the others
/// carried by the case as a `…Headers` value. A response the operation names in
/// `components.responses` carries that component's `Headers`, written once in
/// `Components.Responses` (`TypesRenderer`), so operations sharing it share the type.
extension OperationsRenderer {
    /// The name of the struct holding a response's typed headers, nil when it has none.
    static func headersType(_ response: Response, _ names: GeneratedNames) -> String? {
        if let shared = response.sharedHeadersName { return names.response(shared) + ".Headers" }
        return response.typedHeaders.isEmpty ? nil : SwiftNames.type(caseName(response)) + "Headers"
    }

    /// `, headers: .init()` when a case made from a problem needs its (all optional) headers.
    static func defaultHeaders(_ response: Response) -> String {
        response.typedHeaders.isEmpty ? "" : ", headers: .init()"
    }

    /// The member of each typed header in the `…Headers` struct: its mangled name, the later of
    /// two that meet numbered (`X-Rate-Limit`, `x-rate-limit-` → `xRateLimit`, `xRateLimit_2`).
    static func headerMembers(_ response: Response) -> [String: String] {
        GeneratedNames.unique(response.typedHeaders.map(\.name), spelling: SwiftNames.member)
    }

    /// The struct of the typed headers of a response written in place (a shared one's is in
    /// `Components.Responses`).
    static func headersStruct(_ response: Response, _ names: GeneratedNames) -> SwiftCode? {
        guard response.sharedHeadersName == nil, let typeName = headersType(response, names) else { return nil }
        return .group([.blank, headersStruct(response, names, named: typeName, doc: "The headers of the \(response.pattern) response.")])
    }

    /// The struct `typeName` of `response`'s typed headers.
    static func headersStruct(_ response: Response, _ names: GeneratedNames, named typeName: String, doc: String) -> SwiftCode {
        let members = headerMembers(response)
        let fields = response.typedHeaders.map { header in
            (name: members[header.name] ?? SwiftNames.member(header.name), wire: header.name, doc: header.description,
             type: SchemaSpelling.optional(SchemaSpelling.swiftType(header.schema, names), unless: header.isRequired),
             isRequired: header.isRequired)
        }
        // A shared struct writes its response's headers itself, so each operation's case calls it.
        let writer: [SwiftCode] = response.sharedHeadersName == nil ? [] : [
            .blank,
            .doc("Sets these headers, and the response's fixed ones, on `response`."),
            .block("public func write(to response: inout APIRuntime.HTTPResponse)", headerWrites(response, from: "self", indent: "")),
        ]
        return .group([
            .doc(doc),
            .block("public struct \(typeName): Swift.Sendable, Swift.Hashable", fields.map {
                .group([.doc(($0.doc.map { $0 + "\n\n" } ?? "") + "`\($0.wire)`"), .line("public var \($0.name): \($0.type)")])
            } + [
                .blank,
                .block("public init(" + fields.map { "\($0.name): \($0.type)\($0.isRequired ? "" : " = nil")" }.joined(separator: ", ") + ")",
                       fields.map { .line("self.\($0.name.filter { $0 != "`" }) = \($0.name)") }),
            ] + writer),
        ])
    }

    /// The lines of `response(_:)` that set a response's headers on `response`: one call for a
    /// shared response's (its `Headers.write(to:)`), else one line per header.
    static func headerWrites(_ response: Response) -> [SwiftCode] {
        if response.sharedHeadersName != nil { return [.line("    headers.write(to: &response)")] }
        return headerWrites(response, from: "headers", indent: "    ")
    }

    /// One line per header setting it on `response`, the typed ones read from the members of `source`.
    static func headerWrites(_ response: Response, from source: String, indent: String) -> [SwiftCode] {
        let members = headerMembers(response)
        return response.headers.map { header in
            if let fixed = header.fixedValue {
                return .line(indent + "response.headers.set(\(SwiftNames.literal(header.name)), \(SwiftNames.literal(fixed)))")
            }
            let member = source + "." + (members[header.name] ?? SwiftNames.member(header.name)).filter { $0 != "`" }
            let text = { (value: String) in
                if case .string = header.schema.kind { value } else { "Swift.String(\(value))" }
            }
            if header.isRequired && !header.schema.isNullable {
                return .line(indent + "response.headers.set(\(SwiftNames.literal(header.name)), \(text(member)))")
            }
            return .line(indent + "if let value = \(member) { response.headers.set(\(SwiftNames.literal(header.name)), \(text("value"))) }")
        }
    }
}

extension Response {
    /// The headers the handler gives: all but the fixed ones.
    var typedHeaders: [ResponseHeader] { headers.filter { $0.fixedValue == nil } }

    /// The `components.responses` name whose `Headers` this response's case carries: set for a
    /// referenced response with typed headers.
    var sharedHeadersName: String? { typedHeaders.isEmpty ? nil : componentName }
}

extension APIDocument {
    /// One referenced response per `components.responses` name whose headers operations share,
    /// in the order operations first name them.
    var sharedResponses: [(name: String, response: Response)] {
        var seen: Set<String> = []
        return operations.flatMap(\.responses).compactMap { response in
            guard let name = response.sharedHeadersName, seen.insert(name).inserted else { return nil }
            return (name, response)
        }
    }
}
