/// Renders each operation's namespace: its typed input (path, query, headers, body) and an
/// output enum with one case per documented status, which knows how to become a response.
enum OperationsRenderer {
    static func render(_ document: APIDocument) -> [SwiftCode] {
        [
            .doc("Each operation's input and output types, one namespace per `operationId`."),
            .block("public enum Operations", document.operations.map(render).separated() + [
                .blank,
                .doc("Every operation's output type, in the spec's order."),
                .block(
                    "public static let outputTypes: [any OperationOutput.Type] = ",
                    document.operations.map { .line("\(SwiftNames.type($0.id)).Output.self,") },
                    opening: "[", closing: "]"),
            ]),
        ]
    }

    /// The Swift type of a parameter in its input group: optional unless required or defaulted.
    static func parameterType(_ parameter: Parameter) -> String {
        let type = SchemaSpelling.swiftType(parameter.schema)
        return parameter.isRequired || SchemaSpelling.defaultLiteral(parameter.schema) != nil ? type : type + "?"
    }

    /// The Swift type of the body: optional unless required.
    static func bodyType(_ body: RequestBody) -> String {
        SchemaSpelling.swiftType(body.schema) + (body.isRequired ? "" : "?")
    }

    /// The input groups an operation has, as (property, type name, place).
    static func groups(_ operation: Operation) -> [(property: String, type: String, place: Parameter.Place)] {
        [(Parameter.Place.path, "path", "Path"), (.query, "query", "Query"), (.header, "headers", "Headers")]
            .filter { !operation.parameters(in: $0.0).isEmpty }
            .map { (property: $0.1, type: $0.2, place: $0.0) }
    }

    private static func render(_ operation: Operation) -> SwiftCode {
        let name = SwiftNames.type(operation.id)
        return .group([
            .doc(HandlerRenderer.documentation(operation)),
            .block("public enum \(name)", [
                .line("public static let id = \(SwiftNames.literal(operation.id))"),
                .line("public static let method = \(SwiftNames.literal(operation.method))"),
                .line("public static let path = \(SwiftNames.literal(operation.path))"),
                .blank,
                input(operation),
                .blank,
                output(operation),
            ]),
        ])
    }

    private static func input(_ operation: Operation) -> SwiftCode {
        var members: [SwiftCode] = []
        var initParameters: [String] = []
        for group in groups(operation) {
            let parameters = operation.parameters(in: group.place)
            let fields = parameters.map {
                (name: SwiftNames.member($0.name), type: parameterType($0), doc: $0.description, wire: $0.name,
                 defaultValue: parameterType($0).hasSuffix("?") ? "nil" : SchemaSpelling.defaultLiteral($0.schema))
            }
            members.append(.block("public struct \(group.type): Sendable, Hashable", fields.map {
                .group([.doc(($0.doc.map { $0 + "\n\n" } ?? "") + "`\($0.wire)`"), .line("public var \($0.name): \($0.type)")])
            } + [
                .blank,
                .block("public init(" + fields.map { "\($0.name): \($0.type)\($0.defaultValue.map { " = \($0)" } ?? "")" }.joined(separator: ", ") + ")",
                       fields.map { .line("self.\($0.name.filter { $0 != "`" }) = \($0.name)") }),
            ]))
            members.append(.line("public var \(group.property): \(group.type)"))
            members.append(.blank)
            let defaultable = fields.allSatisfy { $0.defaultValue != nil }
            initParameters.append("\(group.property): \(group.type)\(defaultable ? " = .init()" : "")")
        }
        if let body = operation.requestBody {
            members.append(.doc(body.description))
            members.append(.line("public var body: \(bodyType(body))"))
            members.append(.blank)
            initParameters.append("body: \(bodyType(body))\(body.isRequired ? "" : " = nil")")
        }
        let assignments: [SwiftCode] = groups(operation).map { .line("self.\($0.property) = \($0.property)") }
            + (operation.requestBody == nil ? [] : [.line("self.body = body")])
        members.append(.block("public init(\(initParameters.joined(separator: ", ")))", assignments))
        return .group([
            .doc("What `\(operation.id)` receives, already checked against the spec."),
            .block("public struct Input: Sendable", members),
        ])
    }

    /// The media type whose bodies are the runtime's `ProblemDetails`, written by the router's
    /// `ProblemEncoder` rather than as a generated schema type.
    static let problemMediaType = "application/problem+json"

    /// Whether `response` is a problem.
    static func isProblem(_ response: Response) -> Bool {
        response.mediaType == problemMediaType
    }

    /// The associated value a response case carries, if any.
    static func payloadType(_ response: Response) -> String? {
        if isProblem(response) { return "ProblemDetails" }
        switch response.content {
        case .json(_, let schema): return SchemaSpelling.swiftType(schema)
        case .text: return "String"
        case .eventStream(let eventSchema): return "EventStream<\(SchemaSpelling.swiftType(eventSchema))>"
        case nil: return nil
        }
    }

    private static func output(_ operation: Operation) -> SwiftCode {
        let cases: [SwiftCode] = operation.responses.map { response in
            let caseName = SwiftNames.statusCase(response.status)
            return .group([
                .doc("\(response.status): \(response.description)"),
                .line("case \(caseName)" + (payloadType(response).map { "(\($0))" } ?? "")),
            ])
        }
        let statuses = operation.responses.map { String($0.status) }.joined(separator: ", ")
        return .group([
            .doc("What `\(operation.id)` answers: one case per documented status."),
            .block("public enum Output: OperationOutput", cases + [
                .blank,
                .doc("The statuses `\(operation.id)` documents."),
                .line("public static let documentedStatuses = [\(statuses)]"),
                .blank,
                problemInit(operation),
                .blank,
                .doc("The response with the status and media type the spec declares."),
                .block("public func response(_ options: RouterOptions) -> HTTPResponse", [
                    .switchBlock("self", operation.responses.map(encoding)),
                ]),
            ]),
        ])
    }

    /// `init?(problem:)`: the problem case of the problem's status, if `operation` documents one.
    private static func problemInit(_ operation: Operation) -> SwiftCode {
        let problems = operation.responses.filter(isProblem)
        let header = "public init?(problem: ProblemDetails)"
        let doc = SwiftCode.doc(
            "The documented problem case for `problem`'s status; nil when `\(operation.id)` documents no problem with it.")
        guard !problems.isEmpty else { return .group([doc, .block(header, [.line("return nil")])]) }
        let cases: [SwiftCode] = problems.map {
            .line("case \($0.status): self = .\(SwiftNames.statusCase($0.status))(problem)")
        } + [.line("default: return nil")]
        return .group([doc, .block(header, [.switchBlock("problem.status.code", cases)])])
    }

    /// The `case` of `response(_:)` that encodes `response`.
    private static func encoding(_ response: Response) -> SwiftCode {
        let caseName = SwiftNames.statusCase(response.status)
        let expression: String
        switch response.content {
        case .json where isProblem(response):
            expression = "ResponseEncoding.problem(\(response.status), body, options: options)"
        case .json(let mediaType, _):
            expression = "ResponseEncoding.json(\(response.status), body, contentType: \(SwiftNames.literal(mediaType)), options: options)"
        case .text(let mediaType):
            expression = "ResponseEncoding.text(\(response.status), body, contentType: \(SwiftNames.literal(mediaType)))"
        case .eventStream:
            expression = "body.response()"
        case nil:
            expression = "ResponseEncoding.empty(\(response.status))"
        }
        return .group([
            .line("case .\(caseName)\(response.content == nil ? "" : "(let body)"):"),
            .line("    return \(expression)"),
        ])
    }
}
