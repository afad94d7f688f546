import Foundation
@testable import RouteGenCore

/// Writes what `scripts/corpus-check` compiles around a document's generated code: a handler
/// that answers one operation with one of its documented responses (a value made from that
/// response's schema), and the exchange the check sends and expects on the wire. Every other
/// operation throws, which the router answers 500: nothing there pretends to implement the spec.
enum ServeCheckWriter {
    /// One request to send and the response to expect.
    struct Plan {
        var operation: RouteGenCore.Operation
        var response: Response
        var target: String
        var headers: [(String, String)]
        /// The Swift expression of the output the handler returns.
        var output: String
        var contentType: String?
        /// The body expected, as JSON text or exact text; nil for none.
        var body: String?
        var bodyIsJSON: Bool
    }

    // MARK: Choosing the exchange

    /// The first operation (GETs first) whose required input can be made and that documents a
    /// success with a body (or none) the check can build: a fixed status, one media type, no
    /// headers for the handler to fill.
    static func plan(_ document: APIDocument) -> Plan? {
        let ordered = document.operations.filter { $0.method == "GET" } + document.operations.filter { $0.method != "GET" }
        for operation in ordered {
            guard operation.requestBody?.isRequired != true, let (target, headers) = request(operation, document) else { continue }
            for response in operation.responses {
                guard case .code(let code) = response.pattern, (200...299).contains(code), response.typedHeaders.isEmpty
                else { continue }
                var caseName = SwiftNames.escaped(OperationsRenderer.caseName(response))
                var headers = headers
                if response.hasSeveralMediaTypes, let first = response.content {
                    // Negotiated: the first media type, asked for by `Accept`, in its case of the body enum.
                    caseName += "(." + SwiftNames.escaped(response.caseNames[0])
                    headers.append(("Accept", first.mediaType))
                }
                let close = response.hasSeveralMediaTypes ? ")" : ""
                switch response.content {
                case nil:
                    return Plan(operation: operation, response: response, target: target, headers: headers, output: ".\(caseName)\(close)",
                                contentType: nil, body: nil, bodyIsJSON: false)
                case .json(let mediaType, let schema) where mediaType != OperationsRenderer.problemMediaType:
                    guard let value = sample(schema, document, depth: 0) else { continue }
                    let json = value.description
                    return Plan(operation: operation, response: response, target: target, headers: headers,
                                output: ".\(caseName)(try ServeCheckSample.decode(\(SwiftNames.literal(json))))\(close)",
                                contentType: mediaType, body: json, bodyIsJSON: true)
                case .text(let mediaType):
                    return Plan(operation: operation, response: response, target: target, headers: headers,
                                output: ".\(caseName)(\"corpus\")\(close)", contentType: mediaType, body: "corpus", bodyIsJSON: false)
                case .bytes(let mediaType):
                    return Plan(operation: operation, response: response, target: target, headers: headers,
                                output: ".\(caseName)(Swift.Array(\"corpus\".utf8))\(close)", contentType: mediaType, body: "corpus", bodyIsJSON: false)
                default:
                    continue
                }
            }
        }
        return nil
    }

    /// The request target and headers that give every required parameter and credential a
    /// value its schema accepts; nil when one cannot be made.
    static func request(_ operation: RouteGenCore.Operation, _ document: APIDocument) -> (String, [(String, String)])? {
        var path = operation.path
        var query: [String] = []
        var headers: [(String, String)] = []
        for parameter in operation.parameters where parameter.isRequired {
            guard let value = parameterValue(parameter.schema) else { return nil }
            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
            switch parameter.place {
            case .path: path = path.replacingOccurrences(of: "{\(parameter.name)}", with: encoded)
            case .query: query.append("\(parameter.name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? parameter.name)=\(encoded)")
            case .header: headers.append((parameter.name, value))
            }
        }
        if let scheme = operation.security.first ?? nil, let kind = document.securitySchemes.first(where: { $0.name == scheme })?.kind {
            switch kind {
            case .bearer: headers.append(("Authorization", "Bearer corpus"))
            case .basic: headers.append(("Authorization", "Basic Y29ycHVzOmNvcnB1cw=="))
            case .apiKey("header", let name): headers.append((name, "corpus"))
            case .apiKey("query", let name): query.append("\(name)=corpus")
            case .apiKey(_, let name): headers.append(("Cookie", "\(name)=corpus"))
            }
        }
        return (query.isEmpty ? path : path + "?" + query.joined(separator: "&"), headers)
    }

    /// A text value a parameter schema accepts, nil when none is evident (a pattern).
    static func parameterValue(_ schema: Schema) -> String? {
        switch schema.kind {
        case .string(let rules):
            if let allowed = rules.allowed?.first { return allowed }
            guard rules.pattern == nil else { return nil }
            return String(repeating: "x", count: max(1, rules.minLength ?? 1))
        case .integer(let rules), .number(let rules):
            if let allowed = rules.allowed?.first { return String(Int(allowed)) }
            return String(Int(rules.minimum ?? rules.exclusiveMinimum.map { $0 + 1 } ?? 1))
        case .boolean: return "true"
        case .array(let items, let minItems, _):
            guard (minItems ?? 0) <= 1 else { return nil }
            return parameterValue(items)
        default: return nil
        }
    }

    /// A JSON value `schema` accepts: its required members only, the first of allowed values
    /// and variants, the least of bounds; nil where none is evident.
    static func sample(_ schema: Schema, _ document: APIDocument, depth: Int) -> JSON? {
        guard depth < 12 else { return nil }
        let inner = { (schema: Schema) in sample(schema, document, depth: depth + 1) }
        switch schema.kind {
        case .reference(let name):
            return document.schema(named: name).flatMap(inner)
        case .object(let shape):
            var members: [(key: String, value: JSON)] = []
            for property in shape.properties where property.isRequired {
                guard let value = inner(property.schema) else { return nil }
                members.append((key: property.name, value: value))
            }
            return .object(members)
        case .array(let items, let minItems, _):
            guard (minItems ?? 0) > 0 else { return .array([]) }
            return inner(items).map { item in .array(Array(repeating: item, count: minItems ?? 1)) }
        case .map: return .object([])
        case .string(let rules):
            if rules.format == "binary" { return nil }
            if let allowed = rules.allowed?.first { return .string(allowed) }
            guard rules.pattern == nil else { return nil }
            switch rules.format {
            case "date-time": return .string("2024-01-02T03:04:05Z")
            case "date": return .string("2024-01-02")
            case "uuid": return .string("00000000-0000-4000-8000-000000000000")
            case "email": return .string("corpus@example.com")
            case "uri", "url": return .string("https://example.com/")
            default: return .string(String(repeating: "x", count: max(1, rules.minLength ?? 1)))
            }
        case .integer(let rules):
            if let allowed = rules.allowed?.first { return .integer(Int(allowed)) }
            return .integer(Int(rules.minimum ?? rules.exclusiveMinimum.map { $0 + 1 } ?? 1))
        case .number(let rules):
            if let allowed = rules.allowed?.first { return .number(allowed) }
            return .integer(Int(rules.minimum ?? rules.exclusiveMinimum.map { $0 + 1 } ?? 1))
        case .boolean: return .bool(true)
        case .any: return .null
        case .oneOf(let oneOf):
            for variant in oneOf.variants {
                let variantSchema = variant.schema ?? Schema(.reference(variant.schemaName), at: schema.location)
                if let value = inner(variantSchema) { return value }
            }
            return nil
        }
    }

    // MARK: Writing Swift

    /// `ServeCheck.swift` for one document's module.
    static func source(_ document: APIDocument, handler: String, document name: String) -> String {
        let plan = plan(document)
        // The requirements as the generated protocol spells them, each after its `METHOD /path` line.
        var requirements: [(route: String, declaration: String)] = []
        var route = ""
        for line in handler.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("/// `") && trimmed.hasSuffix("`") { route = String(trimmed.dropFirst(5).dropLast()) }
            if trimmed.hasPrefix("func ") { requirements.append((route, trimmed)) }
        }
        let chosen = plan.map { "\($0.operation.method) \($0.operation.path)" }
        let methods = requirements.map { requirement in
            let body = requirement.route == chosen ? "return \(plan!.output)" : "throw ServeCheckNotServed()"
            return "    \(requirement.declaration) {\n        \(body)\n    }"
        }
        let literal = { (text: String?) in text.map(SwiftNames.literal) ?? "nil" }
        let headers = plan.map { "[" + $0.headers.map { "(\(SwiftNames.literal($0.0)), \(SwiftNames.literal($0.1)))" }.joined(separator: ", ") + "]" } ?? "[]"
        return """
            // Written by CorpusTests for scripts/corpus-check: serves one documented response of \(name).
            import APIRuntime
            import Foundation
            import HTTPServer

            struct ServeCheckNotServed: Swift.Error {}

            enum ServeCheckSample {
                static func decode<T: Decodable>(_ text: Swift.String) throws -> T {
                    try Foundation.JSONDecoder().decode(T.self, from: Foundation.Data(text.utf8))
                }
            }

            struct ServeCheckHandler: APIHandler {
            \(methods.joined(separator: "\n\n"))
            }

            /// The exchange the check sends to `responder()` and expects back.
            public enum ServeCheck {
                public static let document = \(SwiftNames.literal(name))
                public static let operations = \(document.operations.count)
                public static let method: Swift.String? = \(literal(plan?.operation.method))
                public static let target: Swift.String? = \(literal(plan?.target))
                public static let headers: [(Swift.String, Swift.String)] = \(headers)
                public static let status = \(plan?.response.status ?? 0)
                public static let contentType: Swift.String? = \(literal(plan?.contentType))
                public static let body: Swift.String? = \(literal(plan?.body))
                public static let bodyIsJSON = \(plan?.bodyIsJSON ?? false)

                public static func responder() -> any HTTPResponder {
                    APIRouter(handler: ServeCheckHandler())
                }
            }

            """
    }

    /// `Package.swift`: a target per document on the runtime at `runtime`, and `CorpusServe`.
    static func package(_ modules: [String], runtime: String) -> String {
        let product = { (name: String) in ".product(name: \"\(name)\", package: \"ChatServer\")" }
        let targets = modules.map { ".target(name: \"\($0)\", dependencies: [\(product("APIRuntime")), \(product("HTTPServer"))])," }
        return """
            // swift-tools-version: 6.0
            // Written by CorpusTests for scripts/corpus-check: the corpus's generated code against APIRuntime.
            import PackageDescription

            let package = Package(
                name: "Corpus",
                platforms: [.macOS(.v15)],
                dependencies: [.package(name: "ChatServer", path: \(SwiftNames.literal(runtime)))],
                targets: [
                    \(targets.joined(separator: "\n        "))
                    .executableTarget(name: "CorpusServe", dependencies: [\((modules.map { "\"\($0)\"" } + [product("HTTPServer")]).joined(separator: ", "))]),
                ],
                swiftLanguageModes: [.v6]
            )

            """
    }

    /// `CorpusServe/main.swift`: for each document, serve its router on a loopback port, send
    /// the request over a socket, and compare status, content type and body.
    static func main(_ modules: [String]) -> String {
        let checks = modules.map { module in
            "(\(module).ServeCheck.document, \(module).ServeCheck.operations, \(module).ServeCheck.method, \(module).ServeCheck.target, "
                + "\(module).ServeCheck.headers, \(module).ServeCheck.status, \(module).ServeCheck.contentType, "
                + "\(module).ServeCheck.body, \(module).ServeCheck.bodyIsJSON, \(module).ServeCheck.responder())"
        }
        return """
            // Written by CorpusTests for scripts/corpus-check.
            import Foundation
            import HTTPServer
            \(modules.map { "import \($0)" }.joined(separator: "\n"))
            #if canImport(Glibc)
            import Glibc
            #endif

            /// Sends `request` to 127.0.0.1:`port` and reads until the server closes.
            func exchange(port: Int, _ request: String) -> String? {
                let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard fd >= 0 else { return nil }
                defer { close(fd) }
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
                guard connected == 0 else { return nil }
                let bytes = Array(request.utf8)
                guard send(fd, bytes, bytes.count, 0) == bytes.count else { return nil }
                var received: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while true {
                    let count = recv(fd, &buffer, buffer.count, 0)
                    if count <= 0 { break }
                    received += buffer[0..<count]
                }
                return String(decoding: received, as: UTF8.self)
            }

            /// Whether two JSON texts are the same value.
            func sameJSON(_ a: String, _ b: String) -> Bool {
                let canonical = { (text: String) -> Data? in
                    guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) else { return nil }
                    return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
                }
                guard let x = canonical(a), let y = canonical(b) else { return false }
                return x == y
            }

            let checks: [(String, Int, String?, String?, [(String, String)], Int, String?, String?, Bool, any HTTPResponder)] = [
                \(checks.joined(separator: ",\n    "))
            ]
            var failures = 0
            for (document, operations, method, target, headers, status, contentType, body, bodyIsJSON, responder) in checks {
                guard let method, let target else {
                    print("\\(document): generated, compiled; not served: no operation (\\(operations) in the document) whose input and documented success the check can make")
                    continue
                }
                let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: responder)
                let port: Int
                do {
                    port = try server.start().port
                } catch {
                    print("\\(document): FAILED to listen: \\(error)")
                    failures += 1
                    continue
                }
                let request = "\\(method) \\(target) HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n"
                    + headers.map { "\\($0.0): \\($0.1)\\r\\n" }.joined() + (method == "GET" ? "" : "Content-Length: 0\\r\\n") + "\\r\\n"
                let answer = exchange(port: port, request)
                server.shutdown(deadline: .seconds(1))
                guard let answer, let split = answer.range(of: "\\r\\n\\r\\n") else {
                    print("\\(document): FAILED: no HTTP answer to \\(method) \\(target)")
                    failures += 1
                    continue
                }
                let head = answer[..<split.lowerBound].split(separator: "\\r\\n").map(String.init)
                let received = String(answer[split.upperBound...])
                let code = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
                let type = head.dropFirst().first { $0.lowercased().hasPrefix("content-type:") }
                    .map { $0.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces) }
                var problems: [String] = []
                if code != status { problems.append("status \\(code), expected \\(status)") }
                if let contentType, !(type ?? "").hasPrefix(contentType) { problems.append("content type \\(type ?? "none"), expected \\(contentType)") }
                if let body {
                    let matches = bodyIsJSON ? sameJSON(received, body) : received == body
                    if !matches { problems.append("body \\(received.prefix(200)), expected \\(body.prefix(200))") }
                } else if !received.isEmpty {
                    problems.append("a body where none is documented: \\(received.prefix(200))")
                }
                if problems.isEmpty {
                    print("\\(document): generated, compiled, served: \\(method) \\(target) → \\(code) \\(type ?? "(no body)") \\(received.utf8.count) bytes, as documented")
                } else {
                    print("\\(document): FAILED \\(method) \\(target): \\(problems.joined(separator: "; "))")
                    failures += 1
                }
            }
            exit(failures == 0 ? 0 : 1)

            """
    }
}
