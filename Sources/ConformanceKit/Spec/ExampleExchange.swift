import RouteGenCore

/// One documented exchange: the request built from every parameter's and the request body's
/// example of one name, and the response example of the same name (the spec's `info.description`
/// states this pairing).
struct ExampleExchange: Sendable {
    var operation: Operation
    /// The example name (`aliceJoins`).
    var name: String
    var pathValues: [(name: String, value: JSON)] = []
    var query: [(name: String, value: JSON)] = []
    var headers: [(name: String, value: JSON)] = []
    var body: JSON?
    /// The documented response and its example value of this name.
    var response: Response
    var expected: JSON
    var fixture: ExampleFixture

    /// `joinLobby.aliceJoins`.
    var id: String { "\(operation.id).\(name)" }

    /// Every exchange the spec documents, in document order, and the request examples that have
    /// no response example to pair with (spec mistakes, reported as failures).
    static func all(
        in document: APIDocument, section: ConformanceSection, references: ResponseReferences
    ) -> (exchanges: [ExampleExchange], unpaired: [String]) {
        var exchanges: [ExampleExchange] = []
        var unpaired: [String] = []
        for operation in document.operations {
            var names: [String] = []
            for parameter in operation.parameters {
                for example in parameter.examples where !names.contains(example.name) { names.append(example.name) }
            }
            for example in operation.requestBody?.examples ?? [] where !names.contains(example.name) { names.append(example.name) }
            // Each request example pairs with the first response example of its name.
            var pairs: [(name: String, response: Response, expected: JSON)] = []
            for name in names {
                guard let response = operation.responses.first(where: { $0.examples.contains { $0.name == name } }),
                    let expected = response.examples.first(where: { $0.name == name })?.value
                else {
                    unpaired.append("\(operation.id): request example '\(name)' has no response example of that name")
                    continue
                }
                pairs.append((name, response, expected))
            }
            let takesInput = !operation.parameters.isEmpty || operation.requestBody != nil
            if !takesInput {
                // A bare request: each response example names an exchange with it, but for the
                // shared responses no request can bring about (`x-conformance.unprovoked`).
                pairs = operation.responses.filter { response in
                    references.component(operation: operation.id, pattern: response.pattern).map { section.unprovoked[$0] == nil } ?? true
                }.flatMap { response in response.examples.map { (name: $0.name, response: response, expected: $0.value) } }
            }
            // Two responses may name their examples alike: the later case is numbered (`foo_2`),
            // as the generator numbers names that meet, so every case has its own id.
            var ids = Set<String>()
            for pair in pairs {
                var name = pair.name
                var suffix = 2
                while !ids.insert(name).inserted {
                    name = pair.name + "_\(suffix)"
                    suffix += 1
                }
                var exchange = ExampleExchange(
                    operation: operation, name: name, response: pair.response, expected: pair.expected,
                    fixture: section.fixture(operation: operation.id, example: pair.name))
                for parameter in operation.parameters {
                    guard let value = parameter.examples.first(where: { $0.name == pair.name })?.value else { continue }
                    switch parameter.place {
                    case .path: exchange.pathValues.append((name: parameter.name, value: value))
                    case .query: exchange.query.append((name: parameter.name, value: value))
                    case .header: exchange.headers.append((name: parameter.name, value: value))
                    }
                }
                exchange.body = operation.requestBody?.examples.first { $0.name == pair.name }?.value
                exchanges.append(exchange)
            }
        }
        return (exchanges, unpaired)
    }
}
