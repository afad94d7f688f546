/// Renders `APIRouter`: method and path to operation, input read and checked, handler called,
/// output encoded; 404, 405 with `Allow`, and CORS preflight for the rest.
enum RouterRenderer {
    static func render(_ document: APIDocument) -> [SwiftCode] {
        let names = GeneratedNames(document)
        let headerNames = ["Content-Type"] + uniqueHeaderNames(document)
        let routes: [SwiftCode] = document.operations.map {
            .line("(\(SwiftNames.literal($0.method)), \(SwiftNames.literal($0.path)), .\(names.operationMember($0.id))),")
        }
        let dispatch: [SwiftCode] = document.operations.map {
            .line("case .\(names.operationMember($0.id)): return await \(names.operationMember($0.id))(request, match.parameters)")
        }
        let thrownBy: [SwiftCode] = document.operations.map {
            let type = names.operation($0.id)
            return .line("case .\(names.operationMember($0.id))?: return RouterResponses.thrown(error, by: \(type).id, as: \(type).Output.self, request: request, options: options)")
        } + [.line("case nil: return RouterResponses.thrown(error, request: request, options: options)")]
        let router: [SwiftCode] = [
            .line("public let handler: Handler"),
            .line("public let options: RouterOptions"),
            .doc("Run around every request, the first outermost, told the operation the router matched."),
            .line("public let middlewares: [any ServerMiddleware]"),
            .line("private let routes: RouteTable<OperationID>"),
            .blank,
            .doc("Header fields a browser may send across origins (answered in CORS preflight)."),
            .line("public static var allowedRequestHeaders: [String] { [" + headerNames.map(SwiftNames.literal).joined(separator: ", ") + "] }"),
            .blank,
            .doc("A router over `handler`, with `middlewares` around each request (the first outermost)."),
            .block("public init(handler: Handler, options: RouterOptions = RouterOptions(), middlewares: [any ServerMiddleware] = [])", [
                .line("self.handler = handler"),
                .line("self.options = options"),
                .line("self.middlewares = middlewares"),
                .block("self.routes = RouteTable(", routes, opening: "[", closing: "])"),
            ]),
            .blank,
            .doc("""
                Answers one request: the path is matched here, once (`HEAD` as `GET`), the middlewares
                run around the operation it names, and every answer carries the CORS headers.
                """),
            .block("public func respond(to request: HTTPRequest) async -> HTTPResponse", [
                .line("let match = routes.match(request.path)"),
                .line("let operation: OperationID? = match?.operation(for: request.method == \"HEAD\" ? \"GET\" : request.method)"),
                .block("guard !middlewares.isEmpty else", [
                    .line("return RouterResponses.withCORS(await answer(request, match: match, operation: operation), for: request, options: options)"),
                ]),
                .line("let response: HTTPResponse"),
                .block("do", [
                    .block("response = try await RouterResponses.intercepted(request, operationID: operation?.rawValue, by: middlewares)", [
                        .line("await self.answer(request, match: match, operation: operation)"),
                    ], opening: " { request in"),
                ], closing: "} catch {"),
                .line("    response = problem(for: error, by: operation, request: request)"),
                .line("}"),
                .line("return RouterResponses.withCORS(response, for: request, options: options)"),
            ]),
            .blank,
            .block("private func answer(_ request: HTTPRequest, match: RouteTable<OperationID>.Match?, operation: OperationID?) async -> HTTPResponse", [
                .block("guard let match else", [
                    .line("return RouterResponses.notFound(request, options: options)"),
                ]),
                .block("guard let operation else", [
                    .block("if request.method == \"OPTIONS\"", [
                        .line("return RouterResponses.preflight(allowed: match.allowedMethods, headers: Self.allowedRequestHeaders, options: options)"),
                    ]),
                    .line("return RouterResponses.methodNotAllowed(request, allowed: match.allowedMethods, options: options)"),
                ]),
                .switchBlock("operation", dispatch),
            ]),
            .blank,
            .doc("What a middleware threw, answered as the operation's handler's error would be."),
            .block("private func problem(for error: any Error, by operation: OperationID?, request: HTTPRequest) -> HTTPResponse", [
                .switchBlock("operation", thrownBy),
            ]),
        ] + document.operations.flatMap { [SwiftCode.blank, handle($0, in: document, names)] }
        let inputRules: [SwiftCode] = document.operations.compactMap { operation in
            let lines = rules(operation, names)
            return lines.isEmpty ? nil : .block("enum \(names.operationType(operation.id))", lines)
        }
        return [
            .doc("The operations, as the router names what it matched; the raw value is the spec's `operationId`."),
            operationIDs(document, names),
            .blank,
            .doc("Rules for parameters and bodies, made once: one namespace per operation."),
            .block("private enum InputRules", inputRules),
            .blank,
            .doc("""
                Routes requests to an `APIHandler`: matches the method and path (a static segment wins over a
                parameter), reads and checks the input against the spec (a 400 problem naming every failing
                field, before the handler runs), awaits the handler and encodes its output with the declared
                status and media type; what the handler throws becomes a problem
                (`RouterResponses.thrown`). Unknown paths get 404, other methods 405 with `Allow`, `HEAD` is
                answered wherever `GET` is, and `OPTIONS` is a CORS preflight.
                """),
            .block("public struct APIRouter<Handler: APIHandler>: HTTPResponder", router),
        ]
    }

    /// `OperationID`, one case per operation. A document without operations (webhooks only) gets
    /// a caseless enum, which cannot have a raw type: its `rawValue` is then written out.
    private static func operationIDs(_ document: APIDocument, _ names: GeneratedNames) -> SwiftCode {
        guard !document.operations.isEmpty else {
            return .block("public enum OperationID: Hashable, Sendable, CaseIterable", [
                .doc("The spec's `operationId`; this document has no operation, so there is none."),
                .block("public var rawValue: Swift.String", [.line("switch self {}")]),
            ])
        }
        return .block("public enum OperationID: Swift.String, Sendable, CaseIterable", document.operations.map {
            .line("case \(names.operationMember($0.id)) = \(SwiftNames.literal($0.id))")
        })
    }

    private static func uniqueHeaderNames(_ document: APIDocument) -> [String] {
        var seen: Set<String> = []
        let security = document.securitySchemes.flatMap { scheme -> [String] in
            switch scheme.kind {
            case .bearer, .basic: ["Authorization"]
            case .apiKey(let place, let name): place == "header" ? [name] : []
            }
        }
        return (document.operations.flatMap { $0.parameters(in: .header) }.map(\.name) + security)
            .filter { seen.insert($0.lowercased()).inserted }
    }

    /// `InputRules`' name for a body's rule: `<operation>Body`, with the media type's case
    /// after it when there are several (`<operation>BodyJson`).
    private static func bodyRuleName(_ media: RequestBody.Media) -> String {
        SwiftNames.member("body" + (media.caseName.isEmpty ? "" : "-" + media.caseName))
    }

    /// The reader call for a body in `media`.
    private static func bodyRead(_ operation: Operation, _ media: RequestBody.Media, required: Bool, _ names: GeneratedNames) -> String {
        let bodyType = OperationsRenderer.bodyValueType(media, names)
        let rule = "\(rules(of: operation, names)).\(bodyRuleName(media))"
        return switch media.encoding {
        case .json: "jsonBody(\(bodyType).self, \(rule), required: \(required))"
        case .form: "formBody(\(bodyType).self, \(rule), required: \(required))"
        case .multipart: "multipartBody(\(bodyType).self, \(rule), required: \(required), maxParts: options.maxMultipartParts)"
        case .text: "textBody(\(rule), required: \(required))"
        case .bytes: "bytesBody(mediaType: \(SwiftNames.literal(media.mediaType)), required: \(required))"
        }
    }

    /// The lines that read the body into `body`: one reader call, or for several media types
    /// the one the `Content-Type` picks, as its case of the input's `Body`.
    private static func bodyReads(_ operation: Operation, _ body: RequestBody, typeName: String, _ names: GeneratedNames) -> [SwiftCode] {
        guard body.hasSeveralMediaTypes else {
            return [.line("let body = reader.\(bodyRead(operation, body.media[0], required: body.isRequired, names))")]
        }
        let mediaTypes = body.media.map { SwiftNames.literal($0.mediaType) }.joined(separator: ", ")
        return [
            .line("let body: \(typeName).Input.Body?"),
            .switchBlock("reader.bodyMediaType([\(mediaTypes)], required: \(body.isRequired))", body.media.enumerated().map { index, media in
                .line("case \(index)?: body = reader.\(bodyRead(operation, media, required: body.isRequired, names)).map { .\(media.caseName)($0) }")
            } + [.line("default: body = nil")]),
        ]
    }

    /// The namespace of an operation's rules in `InputRules`.
    private static func rules(of operation: Operation, _ names: GeneratedNames) -> String {
        "InputRules." + names.operationType(operation.id)
    }

    /// Each parameter's name after its place (`queryPageSize`): its local, and its rule's name in
    /// its operation's namespace.
    private static func placedNames(_ operation: Operation) -> (Parameter) -> String {
        let members = OperationsRenderer.parameterMembers(operation)
        return { parameter in
            OperationsRenderer.placedName(members[parameter.place]?[parameter.name] ?? SwiftNames.member(parameter.name), in: parameter.place)
        }
    }

    private static func rules(_ operation: Operation, _ names: GeneratedNames) -> [SwiftCode] {
        let ruleName = placedNames(operation)
        var lines: [SwiftCode] = operation.parameters.compactMap { parameter in
            let name = ruleName(parameter)
            let kind: Schema.Kind
            if case .array(let items, _, _) = parameter.schema.kind { kind = items.kind } else { kind = parameter.schema.kind }
            switch kind {
            case .string(let rules): return .line("static let \(name) = \(SchemaSpelling.stringRule(rules))")
            case .integer(let rules), .number(let rules): return .line("static let \(name) = \(SchemaSpelling.numberRule(rules))")
            default: return nil
            }
        }
        for media in operation.requestBody?.media ?? [] where media.encoding != .bytes {
            lines.append(SchemaSpelling.ruleDeclaration("static let \(bodyRuleName(media))", media.schema, names))
        }
        return lines
    }

    /// The lines that find the operation's credential, or answer 401 when none came and one is needed.
    private static func authentication(_ operation: Operation, document: APIDocument, typeName: String) -> [SwiftCode] {
        guard !operation.security.isEmpty else { return [] }
        let schemes = operation.security.compactMap { name in document.securitySchemes.first { $0.name == name } }
        var lines: [SwiftCode] = [.line("let credential: \(typeName).Credential")]
        for (index, scheme) in schemes.enumerated() {
            let find = switch scheme.kind {
            case .bearer: "Authentication.bearer(request)"
            case .basic: "Authentication.basic(request)"
            case .apiKey(let place, let name): "Authentication.apiKey(request, in: .\(place), name: \(SwiftNames.literal(name)))"
            }
            lines.append(.line("\(index == 0 ? "" : "} else ")if let value = \(find) {"))
            lines.append(.line("    credential = .\(OperationsRenderer.credentialCase(scheme.name))(value)"))
        }
        if operation.security.contains(where: { $0 == nil }) {
            lines.append(.line("} else {"))
            lines.append(.line("    credential = .anonymous"))
        } else {
            // A server on a trusted network may run open: then a missing credential is `anonymous`.
            let challenges = schemes.map { SwiftNames.literal($0.challenge(realm: document.title)) }.joined(separator: ", ")
            lines.append(.line("} else if !options.requiresCredentials {"))
            lines.append(.line("    credential = .anonymous"))
            lines.append(.line("} else {"))
            lines.append(.line("    return RouterResponses.unauthorized(challenges: [\(challenges)], options: options)"))
        }
        lines.append(.line("}"))
        return lines
    }

    private static func handle(_ operation: Operation, in document: APIDocument, _ names: GeneratedNames) -> SwiftCode {
        let typeName = names.operation(operation.id)
        let rules = rules(of: operation, names)
        var reads: [SwiftCode] = []
        var unwraps: [String] = []
        let members = OperationsRenderer.parameterMembers(operation)
        let ruleName = placedNames(operation)
        for parameter in operation.parameters {
            let local = ruleName(parameter)
            let place = parameter.place == .header ? "header" : parameter.place.rawValue
            let call: String
            switch parameter.schema.kind {
            case .array(let items, let minItems, let maxItems):
                let counts = [("minItems", minItems), ("maxItems", maxItems)].compactMap { label, value in value.map { ", \(label): \($0)" } }.joined()
                let method = switch items.kind {
                case .integer: "integers"
                case .number: "numbers"
                case .boolean: "booleans"
                default: "strings"
                }
                let rule = items.kind == .boolean ? "" : ", \(rules).\(ruleName(parameter))"
                call = "\(method)(\(SwiftNames.literal(parameter.name))\(rule), explode: \(parameter.explode), required: \(parameter.isRequired)\(counts))"
            case .integer: call = "integer(.\(place), \(SwiftNames.literal(parameter.name)), \(rules).\(ruleName(parameter)), required: \(parameter.isRequired))"
            case .number: call = "number(.\(place), \(SwiftNames.literal(parameter.name)), \(rules).\(ruleName(parameter)), required: \(parameter.isRequired))"
            case .boolean: call = "boolean(.\(place), \(SwiftNames.literal(parameter.name)), required: \(parameter.isRequired))"
            default: call = "string(.\(place), \(SwiftNames.literal(parameter.name)), \(rules).\(ruleName(parameter)), required: \(parameter.isRequired))"
            }
            let fallback = SchemaSpelling.defaultLiteral(parameter.schema).map { " ?? \($0)" } ?? ""
            reads.append(.line("let \(local) = reader.\(call)\(fallback)"))
            if parameter.isRequired { unwraps.append(local) }
        }
        if let body = operation.requestBody {
            reads += bodyReads(operation, body, typeName: typeName, names)
            if body.isRequired { unwraps.append("body") }
        }
        var arguments: [String] = OperationsRenderer.groups(operation).map { group in
            let fields = operation.parameters(in: group.place).map { parameter in
                let member = members[group.place]?[parameter.name] ?? SwiftNames.member(parameter.name)
                return "\(member.filter { $0 != "`" }): \(OperationsRenderer.placedName(member, in: group.place))"
            }
            return "\(group.property): .init(\(fields.joined(separator: ", ")))"
        }
        if operation.requestBody != nil { arguments.append("body: body") }
        if operation.negotiatesResponses { arguments.append("accept: accept") }
        var body: [SwiftCode] = authentication(operation, document: document, typeName: typeName)
        if !operation.security.isEmpty { arguments.insert("credential: credential", at: 0) }
        if !reads.isEmpty {
            body.append(.line("var reader = InputReader(request: request, pathParameters: parameters)"))
            body += reads
            body.append(.block("if let problem = reader.failure()", [
                .line("return RouterResponses.invalidInput(problem, options: options)"),
            ]))
        }
        if !unwraps.isEmpty {
            body.append(.block("guard " + unwraps.map { "let \($0)" }.joined(separator: ", ") + " else", [
                .line("return RouterResponses.internalError(options: options)  // unreachable: a missing required value fails above"),
            ]))
        }
        if operation.negotiatesResponses {
            body.append(.line("let accept = AcceptedMediaTypes(header: request.headers.values(for: \"Accept\"))"))
        }
        body.append(.line("let input = \(typeName).Input(\(arguments.joined(separator: ", ")))"))
        body.append(.block("do", [
            .line("return try await handler.\(names.operationMember(operation.id))(input).response(options\(operation.negotiatesResponses ? ", accept: accept" : ""))"),
        ], closing: "} catch {"))
        body.append(.line("    return RouterResponses.thrown(error, by: \(typeName).id, as: \(typeName).Output.self, request: request, options: options)"))
        body.append(.line("}"))
        let usesParameters = !reads.isEmpty
        return .block(
            "private func \(names.operationMember(operation.id))(_ request: HTTPRequest, _ \(usesParameters ? "parameters" : "_"): [String: String]) async -> HTTPResponse",
            body)
    }
}
