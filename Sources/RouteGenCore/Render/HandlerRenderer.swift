/// Renders the protocol a server implements: one method per operation.
enum HandlerRenderer {
    static func render(_ document: APIDocument) -> [SwiftCode] {
        let names = GeneratedNames(document)
        let methods: [SwiftCode] = document.operations.map { operation in
            let name = names.operation(operation.id)
            return .group([
                .doc(documentation(operation)),
                .line("func \(names.operationMember(operation.id))(_ input: \(name).Input) async throws -> \(name).Output"),
            ])
        }
        return [
            .doc("""
                The operations of \(document.title) \(document.version), one method per `operationId`.

                `APIRouter` calls these with input that already passed the spec's checks; the output's
                cases are the documented responses. A method may wait, and may throw: a
                `ProblemConvertible` error is answered as the documented case of its status, anything
                else as a 500 that is reported (see `RouterResponses.thrown`). A route added to the
                spec adds a method here, so a server that does not implement it does not compile.
                """),
            .block("public protocol APIHandler: Sendable", methods.separated()),
        ]
    }

    /// The doc comment of an operation: summary, description, and `METHOD /path`.
    static func documentation(_ operation: Operation) -> String {
        [operation.summary, operation.description, "`\(operation.method) \(operation.path)`"]
            .compactMap { $0?.trimmingTrailingNewlines() }
            .filter { !$0.isEmpty }
            .joined(separator: "\n\n")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last?.isNewline == true || text.last == " " { text.removeLast() }
        return text
    }
}
