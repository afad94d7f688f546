/// Renders each operation's namespace: its typed input (path, query, headers, body) and an
/// output enum with one case per documented status, which knows how to become a response.
enum OperationsRenderer {
    static func render(_ document: APIDocument) -> [SwiftCode] {
        let names = GeneratedNames(document)
        return [
            .doc("Each operation's input and output types, one namespace per `operationId`."),
            .block("public enum Operations", document.operations.map { render($0, schemes: document.securitySchemes, names) }.separated() + [
                .blank,
                .doc("Every operation's output type, in the spec's order."),
                .block(
                    "public static let outputTypes: [any APIRuntime.OperationOutput.Type] = ",
                    document.operations.map { .line("\(names.operation($0.id)).Output.self,") },
                    opening: "[", closing: "]"),
            ]),
        ]
    }

    /// The Swift type of a parameter in its input group: optional unless required or defaulted.
    static func parameterType(_ parameter: Parameter, _ names: GeneratedNames) -> String {
        let type = SchemaSpelling.swiftType(parameter.schema, names)
        return SchemaSpelling.optional(type, unless: parameter.isRequired || SchemaSpelling.defaultLiteral(parameter.schema) != nil)
    }

    /// The Swift type of the body: optional unless required; the input's `Body` enum when it
    /// may come in several media types.
    static func bodyType(_ body: RequestBody, _ names: GeneratedNames) -> String {
        SchemaSpelling.optional(body.hasSeveralMediaTypes ? "Body" : bodyValueType(body.media[0], names), unless: body.isRequired)
    }

    /// The Swift type of a body's value: the schema's for JSON, forms and multipart, else text or bytes.
    static func bodyValueType(_ media: RequestBody.Media, _ names: GeneratedNames) -> String {
        switch media.encoding {
        case .json, .form, .multipart: SchemaSpelling.swiftType(media.schema, names)
        case .text: "Swift.String"
        case .bytes: "[Swift.UInt8]"
        }
    }

    /// The input groups an operation has, as (property, type name, place).
    static func groups(_ operation: Operation) -> [(property: String, type: String, place: Parameter.Place)] {
        [(Parameter.Place.path, "path", "Path"), (.query, "query", "Query"), (.header, "headers", "Headers")]
            .filter { !operation.parameters(in: $0.0).isEmpty }
            .map { (property: $0.1, type: $0.2, place: $0.0) }
    }

    /// The namespace of `operation`, whose `security` names some of `schemes`.
    static func render(_ operation: Operation, schemes: [SecurityScheme], _ names: GeneratedNames) -> SwiftCode {
        let name = names.operationType(operation.id)
        return .group([
            .doc(HandlerRenderer.documentation(operation)),
            .block("public enum \(name)", [
                .line("public static let id = \(SwiftNames.literal(operation.id))"),
                .line("public static let method = \(SwiftNames.literal(operation.method))"),
                .line("public static let path = \(SwiftNames.literal(operation.path))"),
                .blank,
                credential(operation, schemes: schemes),
                input(operation, names),
                .blank,
                output(operation, names),
            ]),
        ])
    }

    /// Each parameter's member in its input group, the later of two that meet in Swift
    /// (`page_size`, `pageSize`) numbered like types.
    static func parameterMembers(_ operation: Operation) -> [Parameter.Place: [String: String]] {
        Dictionary(uniqueKeysWithValues: groups(operation).map { group in
            (group.place, GeneratedNames.unique(operation.parameters(in: group.place).map(\.name), spelling: SwiftNames.member))
        })
    }

    /// A parameter's member after its place (`queryPageSize`): its local in the router and its
    /// rule's name, distinct across places.
    static func placedName(_ member: String, in place: Parameter.Place) -> String {
        let bare = member.filter { $0 != "`" }
        return place.rawValue + bare.prefix(1).uppercased() + bare.dropFirst()
    }

    private static func input(_ operation: Operation, _ names: GeneratedNames) -> SwiftCode {
        var members: [SwiftCode] = []
        var initParameters: [String] = []
        let parameterMembers = parameterMembers(operation)
        for group in groups(operation) {
            let parameters = operation.parameters(in: group.place)
            let fields = parameters.map {
                (name: parameterMembers[group.place]?[$0.name] ?? SwiftNames.member($0.name), type: parameterType($0, names), doc: $0.description, wire: $0.name,
                 defaultValue: parameterType($0, names).hasSuffix("?") ? "nil" : SchemaSpelling.defaultLiteral($0.schema))
            }
            members.append(.block("public struct \(group.type): Swift.Sendable, Swift.Hashable", fields.map {
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
        if !operation.security.isEmpty {
            members.append(.doc("The credential the request came with; checking it is the handler's job."))
            members.append(.line("public var credential: Credential"))
            members.append(.blank)
            initParameters.insert("credential: Credential", at: 0)
        }
        if let body = operation.requestBody {
            if body.hasSeveralMediaTypes {
                members.append(bodyEnum(body, names))
                members.append(.blank)
            }
            members.append(.doc(body.description))
            members.append(.line("public var body: \(bodyType(body, names))"))
            members.append(.blank)
            initParameters.append("body: \(bodyType(body, names))\(body.isRequired ? "" : " = nil")")
        }
        if operation.negotiatesResponses {
            members.append(.doc("The request's `Accept`, for the `preferred(by:…)` of a response offered in several media types."))
            members.append(.line("public var accept: APIRuntime.AcceptedMediaTypes"))
            members.append(.blank)
            initParameters.append("accept: APIRuntime.AcceptedMediaTypes = .anything")
        }
        let assignments: [SwiftCode] = (operation.security.isEmpty ? [] : [.line("self.credential = credential")])
            + groups(operation).map { .line("self.\($0.property) = \($0.property)") }
            + (operation.requestBody == nil ? [] : [.line("self.body = body")])
            + (operation.negotiatesResponses ? [.line("self.accept = accept")] : [])
        members.append(.block("public init(\(initParameters.joined(separator: ", ")))", assignments))
        return .group([
            .doc("What `\(operation.id)` receives, already checked against the spec."),
            .block("public struct Input: Swift.Sendable", members),
        ])
    }

    /// The media type whose bodies are the runtime's `ProblemDetails`, written by the router's
    /// `ProblemEncoder` rather than as a generated schema type.
    static let problemMediaType = "application/problem+json"

    /// Whether `response` is a problem.
    static func isProblem(_ response: Response) -> Bool {
        response.mediaType == problemMediaType && !response.hasSeveralMediaTypes
    }

    /// The case name of a response: `ok`, `notFound`, `status418`, `status2XX`, `default`.
    static func caseName(_ response: Response) -> String {
        switch response.pattern {
        case .code(let code): SwiftNames.statusCase(code)
        case .range: "status\(response.pattern)"
        case .default: "default"
        }
    }

    /// The codes a range or `default` case may carry, as a Swift range expression.
    static func allowedCodes(_ pattern: StatusPattern) -> String? {
        switch pattern {
        case .code: nil
        case .range(let digit): "\(digit * 100)...\(digit * 100 + 99)"
        case .default: "100...599"
        }
    }

    /// What a response case carries: the status for a range or `default`, then the body, if
    /// any, then its headers' values, if it has headers that are not fixed.
    static func caseValues(_ response: Response, _ names: GeneratedNames) -> String? {
        let values = (allowedCodes(response.pattern) == nil ? [] : ["status: Swift.Int"]) + (payloadType(response, names).map { [$0] } ?? [])
            + (headersType(response, names).map { ["headers: \($0)"] } ?? [])
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    /// The associated value a response case carries, if any.
    static func payloadType(_ response: Response, _ names: GeneratedNames) -> String? {
        if response.hasSeveralMediaTypes { return negotiatedBodyType(response) }
        return response.content.map { payloadType($0, names) }
    }

    /// The Swift type of one body.
    static func payloadType(_ content: Response.Content, _ names: GeneratedNames) -> String {
        switch content {
        case .json(problemMediaType, _): "APIRuntime.ProblemDetails"
        case .json(_, let schema): SchemaSpelling.swiftType(schema, names)
        case .text: "Swift.String"
        case .bytes: "[Swift.UInt8]"
        case .eventStream(let eventSchema): "APIRuntime.EventStream<\(SchemaSpelling.swiftType(eventSchema, names))>"
        }
    }

    private static func output(_ operation: Operation, _ names: GeneratedNames) -> SwiftCode {
        let cases: [SwiftCode] = operation.responses.map { response in
            .group([
                .doc("\(response.pattern): \(response.description)"),
                .line("case \(SwiftNames.escaped(caseName(response)))" + (caseValues(response, names).map { "(\($0))" } ?? "")),
            ])
        } + encodedCase(operation) + operation.responses.compactMap { headersStruct($0, names) }
            + operation.responses.compactMap { negotiatedBody($0, names) }
        let statuses = operation.responses.compactMap { if case .code(let code) = $0.pattern { String(code) } else { nil } }
            .joined(separator: ", ")
        return .group([
            .doc("What `\(operation.id)` answers: one case per documented status."),
            .block("public enum Output: APIRuntime.OperationOutput", cases + [
                .blank,
                .doc(operation.responses.allSatisfy { allowedCodes($0.pattern) == nil }
                    ? "The statuses `\(operation.id)` documents."
                    : "The status codes `\(operation.id)` documents one by one (not its ranges or `default`)."),
                .line("public static let documentedStatuses\(statuses.isEmpty ? ": [Swift.Int]" : "") = [\(statuses)]"),
                .blank,
                problemInit(operation),
            ] + encodedFactories(operation, names) + [.blank] + responseMethods(operation)),
        ])
    }

    /// `response(_:)`, and for an output whose responses are negotiated `response(_:accept:)`.
    private static func responseMethods(_ operation: Operation) -> [SwiftCode] {
        guard operation.negotiatesResponses else {
            return [
                .doc("The response with the status and media type the spec declares."),
                .block("public func response(_ options: APIRuntime.RouterOptions) -> APIRuntime.HTTPResponse", [
                    .switchBlock("self", operation.responses.map(encoding) + encodedEncoding(operation)),
                ]),
            ]
        }
        return [
            .doc("The response as to a request that accepts any media type."),
            .block("public func response(_ options: APIRuntime.RouterOptions) -> APIRuntime.HTTPResponse", [
                .line("response(options, accept: .anything)"),
            ]),
            .blank,
            .doc("The response with the status and media type the spec declares; a body offered in several media types in one that `accept` allows, else 406."),
            .block("public func response(_ options: APIRuntime.RouterOptions, accept: APIRuntime.AcceptedMediaTypes) -> APIRuntime.HTTPResponse", [
                .switchBlock("self", operation.responses.map(encoding) + encodedEncoding(operation)),
            ]),
        ]
    }

    /// `init?(problem:)`: the problem case of the problem's status, if `operation` documents one.
    private static func problemInit(_ operation: Operation) -> SwiftCode {
        // A problem case whose headers must be given cannot be made from a problem alone.
        let problems = operation.responses.filter { isProblem($0) && ($0.typedHeaders.allSatisfy { !$0.isRequired }) }
        let header = "public init?(problem: APIRuntime.ProblemDetails)"
        let doc = SwiftCode.doc(
            "The documented problem case for `problem`'s status; nil when `\(operation.id)` documents no problem with it.")
        guard !problems.isEmpty else { return .group([doc, .block(header, [.line("return nil")])]) }
        let cases: [SwiftCode] = problems.map { response in
            switch response.pattern {
            case .code(let code): .line("case \(code): self = .\(caseName(response))(problem\(defaultHeaders(response)))")
            case .range: .line("case \(allowedCodes(response.pattern)!): self = .\(caseName(response))(status: problem.status.code, problem\(defaultHeaders(response)))")
            case .default: .line("default: self = .default(status: problem.status.code, problem\(defaultHeaders(response)))")
            }
        } + (problems.contains { $0.pattern == .default } ? [] : [.line("default: return nil")])
        return .group([doc, .block(header, [.switchBlock("problem.status.code", cases)])])
    }

    /// The expression that encodes `body`, one body of `content`, with `status`.
    static func bodyEncoding(_ content: Response.Content, status: String) -> String {
        switch content {
        case .json(problemMediaType, _):
            "APIRuntime.ResponseEncoding.problem(\(status), body, options: options)"
        case .json(let mediaType, _):
            "APIRuntime.ResponseEncoding.json(\(status), body, contentType: \(SwiftNames.literal(mediaType)), options: options)"
        case .text(let mediaType):
            "APIRuntime.ResponseEncoding.text(\(status), body, contentType: \(SwiftNames.literal(mediaType)))"
        case .bytes(let mediaType):
            "APIRuntime.ResponseEncoding.bytes(\(status), body, contentType: \(SwiftNames.literal(mediaType)))"
        case .eventStream:
            "body.response()"
        }
    }

    /// The `case` of `response(_:)` that encodes `response`.
    private static func encoding(_ response: Response) -> SwiftCode {
        let allowed = allowedCodes(response.pattern)
        let status = allowed == nil ? String(response.status) : "status"
        let expression: String
        if response.hasSeveralMediaTypes {
            expression = "APIRuntime.ResponseEncoding.negotiated(\(status), body, accept: accept, options: options)"
        } else if let content = response.content {
            expression = bodyEncoding(content, status: status)
        } else {
            expression = "APIRuntime.ResponseEncoding.empty(\(status))"
        }
        let bindings = (allowed == nil ? [] : ["let status"]) + (response.content == nil ? [] : ["let body"])
            + (response.typedHeaders.isEmpty ? [] : ["let headers"])
        let pattern = "case .\(caseName(response))" + (bindings.isEmpty ? "" : "(" + bindings.joined(separator: ", ") + ")") + ":"
        // A range or `default` case carries its status; one outside what it documents is the
        // handler's mistake, answered 500 rather than sent as if documented.
        let check: [SwiftCode] = allowed.map {
            [.line("    guard (\($0)).contains(status) else { return APIRuntime.ResponseEncoding.undocumented(status, options: options) }")]
        } ?? []
        let headerLines = headerWrites(response)
        guard !headerLines.isEmpty else { return .group([.line(pattern)] + check + [.line("    return \(expression)")]) }
        return .group([.line(pattern)] + check + [.line("    var response = \(expression)")] + headerLines + [.line("    return response")])
    }
}
