extension SpecReader {
    /// Names the generated code declares itself or takes from the runtime; a schema may not use them.
    static let reservedTypeNames: Set<String> = [
        "Operations", "APIHandler", "APIRouter", "APISpec", "OperationID", "InputRules",
        "EventStream", "EventSink", "EncodedEvent", "SchemaRule", "StringRule", "NumberRule", "PropertyRule",
        "Pattern", "InputReader", "RouteTable", "RouterOptions", "RouterResponses", "ResponseEncoding",
        "JSONValue", "HTTPRequest", "HTTPResponse", "HTTPHeaders", "HTTPStatus", "ProblemDetails",
        "String", "Int", "Double", "Bool", "Array", "Dictionary", "Optional", "Never",
        "Any", "AnyObject", "Error", "Codable", "Sendable", "Hashable", "Decoder", "Encoder", "CodingKey", "Void",
        "Set", "Float", "Character", "Data",
        // The members of every `Operations.X`, which would hide a schema of the same name there.
        "Input", "Output", "Path", "Query", "Headers",
    ]

    /// Spec names that become the same Swift identifier would make code that does not compile:
    /// report them where they are written.
    mutating func checkSwiftNames(operations: [Operation], schemas: [(name: String, schema: Schema)]) {
        let operationTypes = Dictionary(operations.map { (SwiftNames.type($0.id), $0) }, uniquingKeysWith: { first, _ in first })
        var schemaTypes: [String: String] = [:]
        for (name, schema) in schemas {
            let typeName = SwiftNames.type(name)
            if Self.reservedTypeNames.contains(typeName) {
                diagnostics.error("schema name '\(name)' is taken by the generated code or its runtime; choose another", at: schema.location)
            } else if let operation = operationTypes[typeName] {
                diagnostics.error(
                    "schema '\(name)' has the Swift name of operation '\(operation.id)' (Operations.\(typeName)); rename one",
                    at: schema.location)
            } else if let other = schemaTypes[typeName] {
                diagnostics.error("schemas '\(other)' and '\(name)' are both '\(typeName)' in Swift", at: schema.location)
            }
            schemaTypes[typeName] = name
            checkMemberNames(of: schema)
        }
        for operation in operations {
            for place in [Parameter.Place.path, .query, .header] {
                var seen: [String: String] = [:]
                for parameter in operation.parameters(in: place) {
                    let member = SwiftNames.member(parameter.name)
                    if let other = seen[member] {
                        diagnostics.error(
                            "\(place) parameters '\(other)' and '\(parameter.name)' are both '\(member)' in Swift",
                            at: parameter.location)
                    }
                    seen[member] = parameter.name
                }
            }
        }
    }

    /// Properties, and `oneOf` cases, must stay distinct in Swift.
    private mutating func checkMemberNames(of schema: Schema) {
        switch schema.kind {
        case .object(let shape):
            var seen: [String: String] = [:]
            for property in shape.properties {
                let member = SwiftNames.member(property.name)
                if let other = seen[member] {
                    diagnostics.error("properties '\(other)' and '\(property.name)' are both '\(member)' in Swift", at: property.schema.location)
                }
                seen[member] = property.name
            }
        case .oneOf(let oneOf):
            var seen: [String: String] = [:]
            for variant in oneOf.variants where !variant.tag.isEmpty {
                let member = SwiftNames.member(variant.tag)
                if let other = seen[member] {
                    diagnostics.error("oneOf values '\(other)' and '\(variant.tag)' are both case '\(member)' in Swift", at: schema.location)
                }
                seen[member] = variant.tag
            }
        default:
            break
        }
    }
}
