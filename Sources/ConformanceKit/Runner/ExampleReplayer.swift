import RouteGenCore

/// Replays one documented exchange: runs its fixture's setup, substitutes the example's user ids
/// and lobby codes with the real ones, sends the request and checks the answer against the
/// documented status, content type, schema and example body.
struct ExampleReplayer {
    let context: RunContext
    let exchange: ExampleExchange
    private let checker: ResponseChecker

    init(exchange: ExampleExchange, context: RunContext) {
        self.exchange = exchange
        self.context = context
        checker = ResponseChecker(spec: context.spec)
    }

    /// `example joinLobby.aliceJoins (200)`.
    private var title: String { "example \(exchange.id) (\(exchange.response.status))" }

    private var spot: String { context.location(exchange.response.location) }

    /// Replays the exchange (once).
    func run() -> UnitOutcome {
        let missing = exchange.fixture.requires.filter { context.builtIns[$0] == nil }
        guard missing.isEmpty else { return .skipped("\(title) needs \(missing.joined(separator: ", ")) of the server (\(context.settings.howToSet(missing)))") }
        var bindings = SetupRunner.Bindings()
        do throws(SetupRunner.Failure) {
            try SetupRunner(client: context.client, builtIns: context.builtIns).run(exchange.fixture.setup, into: &bindings)
        } catch {
            return .failed([ConformanceFailure(location: spot, context: title + ", setup", request: error.request?.description, problem: error.description)])
        }
        let substitutions = substitutions(for: bindings)
        let request: ClientRequest
        switch bindings.credentials.attach(
            to: makeRequest(substitutions), operation: exchange.operation, document: context.spec.document, choice: exchange.fixture.credential,
            labels: { bindings.users[$0] })
        {
        case .success(let authorized): request = authorized
        case .failure(let unknown):
            if bindings.credentials.tokens.isEmpty { return .skipped("\(title) cannot be judged: \(unknown.unjudgeable)") }
            return .failed([ConformanceFailure(location: spot, context: title, request: nil, problem: unknown.description)])
        }
        var problems: [String] = []
        do {
            switch try context.client.open(request, expecting: exchange.response.status) {
            case .stream(let stream):
                defer { stream.close() }
                context.noteAnswer(to: request, status: stream.head.status, source: .example)
                problems += checkStatus(stream.head, summary: stream.head.statusLine + " text/event-stream")
                problems += checker.problems(request: request, head: stream.head, body: nil)
                problems += try checkEvents(stream, substitutions)
            case .response(let response):
                context.noteAnswer(to: request, status: response.status, source: .example)
                problems += checkStatus(response.head, summary: response.summary)
                let body = request.method == "HEAD" ? nil : response.body
                problems += checker.problems(request: request, head: response.head, body: body)
                if response.status == exchange.response.status {
                    let differences = checkBody(response, to: request, substitutions)
                    problems += differences
                    if !differences.isEmpty { problems.append("(documented: \(BodyMatcher.short(exchange.expected)))") }
                    if !problems.isEmpty { problems.append("(response: \(response.summary))") }
                }
            }
        } catch {
            problems.append("expected status \(exchange.response.status); \(error)")
        }
        guard problems.isEmpty else {
            return .failed([ConformanceFailure(location: spot, context: title, request: request.description, problem: problems.joined(separator: "\n"))])
        }
        return .passed
    }

    /// Example value → real value: each created user's example id, each lobby label.
    private func substitutions(for bindings: SetupRunner.Bindings) -> [String: BodyMatcher.Substitution] {
        var result: [String: BodyMatcher.Substitution] = [:]
        for (name, id) in bindings.users {
            if let exampleID = context.spec.section.exampleUserIds[name] { result[exampleID] = .init(value: id, label: "\(name)'s id") }
        }
        for (label, code) in bindings.rooms { result[label] = .init(value: code, label: "lobby '\(label)'") }
        for (label, id) in bindings.messages { result[label] = .init(value: id, label: "message '\(label)'") }
        return result
    }

    private func makeRequest(_ substitutions: [String: BodyMatcher.Substitution]) -> ClientRequest {
        func text(_ value: JSON) -> String { Self.substitute(value, substitutions).plainText }
        var target = exchange.operation.path
        for (name, value) in exchange.pathValues {
            target = target.replacingAll("{\(name)}", with: ClientRequest.encodePathSegment(text(value)))
        }
        if !exchange.query.isEmpty {
            target += "?" + exchange.query.map { ClientRequest.encodeQueryComponent($0.name) + "=" + ClientRequest.encodeQueryComponent(text($0.value)) }
                .joined(separator: "&")
        }
        var request = ClientRequest(method: exchange.operation.method, target: target, headers: exchange.headers.map { (name: $0.name, value: text($0.value)) })
        if let body = exchange.body {
            request.body = Array(Self.substitute(body, substitutions).description.utf8)
            request.headers.append((name: "Content-Type", value: exchange.operation.requestBody?.mediaType ?? "application/json"))
        }
        return request
    }

    private func checkStatus(_ head: ResponseHead, summary: String) -> [String] {
        head.status == exchange.response.status ? [] : ["expected status \(exchange.response.status), got \(summary)"]
    }

    private func matcher(_ substitutions: [String: BodyMatcher.Substitution]) -> BodyMatcher {
        BodyMatcher(
            validator: checker.validator, mode: .complete, substitutions: substitutions,
            illustrativeFormats: context.spec.section.illustrativeFormats, illustrativeProperties: context.spec.section.illustrativeProperties)
    }

    private func checkBody(_ response: ClientResponse, to request: ClientRequest, _ substitutions: [String: BodyMatcher.Substitution]) -> [String] {
        switch exchange.response.content {
        case .text?:
            guard case .string(let expected) = exchange.expected else { return [] }
            let matches = exchange.fixture.match == .prefix ? response.text.hasPrefix(expected) : response.text == expected
            return matches ? [] : ["expected the body \(exchange.fixture.match == .prefix ? "to start with " : "")\(JSON.quoted(expected)), got \(JSON.quoted(String(response.text.prefix(200))))"]
        case .json(_, let schema)?:
            guard var actual = try? JSONParser.parse(response.body) else { return [] }  // reported by the checker
            if exchange.fixture.match == .subsequence, case .array = actual {
                // The documented items are among the server's others, on whichever page they fell.
                switch PageWalker(client: context.client).allItems(from: response, request: request) {
                case .success(let items): actual = .array(items)
                case .failure(let failure): return [failure.text]
                }
            }
            return matcher(substitutions).mismatches(expected: exchange.expected, actual: actual, schema: schema, subsequence: exchange.fixture.match == .subsequence)
                .map { "body \($0)" }
        case .eventStream?, .bytes?, nil:
            return []
        }
    }

    /// Reads the documented items (then a quiet period: the stream stays open with nothing more).
    private func checkEvents(_ stream: EventStream, _ substitutions: [String: BodyMatcher.Substitution]) throws(ClientError) -> [String] {
        guard let eventSchema = context.spec.eventSchema else { return ["the spec has no event schema"] }
        let monitor = StreamMonitor(name: exchange.id, stream: stream, eventSchema: eventSchema, validator: checker.validator)
        guard case .array(let items) = exchange.expected else { return ["the documented stream example is not a list of items"] }
        var problems: [String] = []
        if try !stream.awaitOpening(deadline: Deadline(after: context.settings.timeout)) {
            problems.append("no complete opening block (retry:, comment, blank line) within \(context.settings.timeout) s")
        }
        for (index, item) in items.enumerated() {
            let event = try nextEvent(monitor, within: context.settings.timeout, &problems)
            guard let event else {
                problems.append("expected item \(index + 1) of \(items.count) (id \(item["id"] ?? .null)) within \(context.settings.timeout) s; \(stream.hasEnded ? "the stream ended" : "got nothing")")
                return problems
            }
            if let id = item["id"], id != .string(event.rawID ?? "") {
                problems.append("item \(index + 1): expected id \(id), got \(event.rawID ?? "none")")
            }
            if case .string(let data)? = item["data"], let expected = try? JSONParser.parse(data), let actual = event.json {
                problems += matcher(substitutions).mismatches(expected: expected, actual: actual, schema: eventSchema).map { "item \(index + 1) data \($0)" }
            }
        }
        if let extra = try nextEvent(monitor, within: context.settings.quietPeriod, &problems) {
            problems.append("after the \(items.count) documented item(s), an unexpected event: id \(extra.id.map(String.init) ?? "none") \(extra.data.prefix(300))")
        }
        return problems
    }

    private func nextEvent(_ monitor: StreamMonitor, within seconds: Double, _ problems: inout [String]) throws(ClientError) -> StreamMonitor.Event? {
        let deadline = Deadline(after: seconds)
        for _ in 0..<100_000 {
            switch try monitor.read(deadline: deadline, problems: &problems) {
            case .comment: continue
            case .event(let event): return event
            case .ended, .timedOut: return nil
            }
        }
        return nil
    }

    /// `value` with every string that is an example value replaced by the real one.
    static func substitute(_ value: JSON, _ substitutions: [String: BodyMatcher.Substitution]) -> JSON {
        switch value {
        case .string(let text): substitutions[text].map { .string($0.value) } ?? value
        case .array(let items): .array(items.map { substitute($0, substitutions) })
        case .object(let pairs): .object(pairs.map { (key: $0.key, value: substitute($0.value, substitutions)) })
        default: value
        }
    }
}
