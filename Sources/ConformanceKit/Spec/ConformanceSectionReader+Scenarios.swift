import RouteGenCore

extension ConformanceSectionReader {
    /// What a unit may `require` of the server: its `--history-size`, its `--heartbeat`,
    /// `authentication` (it requires tokens, the default; unset for `--auth none`), and the
    /// per-user rate-limit bursts when they do not refill during a run (the suite's own server),
    /// its `--presence-grace` and its `--max-lobbies-per-user`.
    static let builtInVariables: Set<String> = [
        "historySize", "heartbeat", "authentication", "postBurst", "membershipBurst", "streamBurst", "directConnection", "presenceGrace",
        "maxLobbiesPerUser",
    ]

    /// A `requires` list; each must be a built-in variable.
    mutating func readRequires(_ node: YAMLNode?, of unit: String) -> [String] {
        let requires = strings(node, "requires")
        for variable in requires where !Self.builtInVariables.contains(variable) {
            diagnostics.error(
                "\(unit) requires '\(variable)', which is no built-in variable (\(Self.builtInVariables.sorted()))",
                at: node?.location ?? SourceLocation(line: 1, column: 1))
        }
        return requires
    }

    /// The `credential:` and `scheme:` of a fixture or a request step.
    mutating func readCredential(_ node: YAMLNode) -> CredentialChoice {
        let credential = node["credential"].flatMap { text($0, "credential") }
        let scheme = node["scheme"].flatMap { text($0, "scheme") }
        if let scheme, let schemeNode = node["scheme"], !document.securitySchemes.contains(where: { $0.name == scheme }) {
            diagnostics.error("scheme '\(scheme)' is no security scheme of the spec", at: schemeNode.location)
        }
        return CredentialChoice(credential: credential, scheme: scheme)
    }

    mutating func readScenario(_ node: YAMLNode) -> Scenario? {
        guard let pairs = mapping(node, "a scenario") else { return nil }
        checkKeys(pairs, ["name", "summary", "requires", "setup", "steps"], in: "a scenario")
        guard let nameNode = node["name"], let name = text(nameNode, "name"), !name.isEmpty else {
            diagnostics.error("a scenario needs a 'name'", at: node.location)
            return nil
        }
        let requires = readRequires(node["requires"], of: "scenario '\(name)'")
        let steps = sequence(node["steps"], "steps").enumerated().compactMap { readStep($1, number: $0 + 1) }
        if steps.isEmpty { diagnostics.error("scenario '\(name)' has no steps", at: node.location) }
        return Scenario(
            name: name, summary: node["summary"].flatMap { text($0, "summary") }, requires: requires,
            setup: readSetup(node["setup"], requires: requires), steps: steps, location: node.location)
    }

    private mutating func readStep(_ node: YAMLNode, number: Int) -> ScenarioStep? {
        guard let pairs = mapping(node, "a step") else { return nil }
        let title = node["step"].flatMap { text($0, "step") } ?? "step \(number)"
        if let streamsNode = node["streams"] {
            checkKeys(pairs, ["step", "streams", "events", "quiet", "ends", "comment", "close"], in: "a stream step")
            let streams = streamsNode.scalar.map { [$0.text] } ?? strings(streamsNode, "streams")
            let checks = pairs.filter { ["events", "quiet", "ends", "comment", "close"].contains($0.key) }
            guard checks.count == 1, let check = readStreamCheck(checks[0]) else {
                diagnostics.error("a stream step needs exactly one of events, quiet, ends, comment, close", at: node.location)
                return nil
            }
            return ScenarioStep(title: title, action: .streams(streams, check), location: node.location)
        }
        checkKeys(pairs, ["step", "request", "response", "capture", "open", "repeat", "credential", "scheme"], in: "a request step")
        guard let requestNode = node["request"], var request = readRequest(requestNode) else {
            diagnostics.error("a step needs a 'request' (or 'streams' for a stream step)", at: node.location)
            return nil
        }
        request.credential = readCredential(node)
        let open = node["open"].flatMap { text($0, "open") }
        var expectation = ResponseExpectation(status: 200)
        if let responseNode = node["response"] {
            guard let read = readResponse(responseNode) else { return nil }
            expectation = read
        } else if open == nil {
            diagnostics.error("a request step needs a 'response' with at least its 'status'", at: node.location)
        }
        let captures = (node["capture"]?.pairs ?? []).compactMap { readCapture($0, forEvent: false) }
        return ScenarioStep(
            title: title, action: .exchange(request, expectation, captures: captures, open: open, repeat: node["repeat"].map(JSON.init)),
            location: node.location)
    }

    private mutating func readRequest(_ node: YAMLNode) -> RequestTemplate? {
        guard let pairs = mapping(node, "request") else { return nil }
        checkKeys(pairs, ["method", "path", "query", "headers", "body", "rawBody", "bodyBytes"], in: "request")
        // Origin form (`/…`), asterisk form (`*`, for OPTIONS), absolute form (`http://…`), or a
        // target captured before (`${next}`).
        guard let pathNode = node["path"], let path = text(pathNode, "path"),
            path.hasPrefix("/") || path == "*" || path.hasPrefix("http://") || path.hasPrefix("${")
        else {
            diagnostics.error("a request needs a 'path': '/…', '*', 'http://…' or '${variable}'", at: node.location)
            return nil
        }
        var request = RequestTemplate(path: path)
        if let method = node["method"].flatMap({ text($0, "method") }) { request.method = method }
        request.query = (node["query"]?.pairs ?? []).map { (name: $0.key, value: JSON($0.value)) }
        request.headers = (node["headers"]?.pairs ?? []).map { (name: $0.key, value: JSON($0.value)) }
        let bodies = pairs.filter { ["body", "rawBody", "bodyBytes"].contains($0.key) }
        if bodies.count > 1 { diagnostics.error("a request has at most one of body, rawBody, bodyBytes", at: node.location) }
        if let body = node["body"] {
            request.body = .json(JSON(body))
        } else if let raw = node["rawBody"], let text = text(raw, "rawBody") {
            request.body = .raw(text)
        } else if let size = node["bodyBytes"], let bytes = integer(size, "bodyBytes") {
            request.body = .filler(bytes: bytes)
        }
        return request
    }

    private mutating func readResponse(_ node: YAMLNode) -> ResponseExpectation? {
        guard let pairs = mapping(node, "response") else { return nil }
        checkKeys(pairs, ["status", "headers", "body", "text"], in: "response")
        guard let statusNode = node["status"], let status = integer(statusNode, "status") else {
            diagnostics.error("a response needs a 'status'", at: node.location)
            return nil
        }
        var expectation = ResponseExpectation(status: status)
        expectation.body = node["body"].map(JSON.init)
        expectation.text = node["text"].flatMap { text($0, "text") }
        for pair in node["headers"]?.pairs ?? [] {
            if pair.value.scalar != nil {
                expectation.headers.append((name: pair.key, rule: .equals(JSON(pair.value))))
            } else if let contains = pair.value["contains"] {
                expectation.headers.append((name: pair.key, rule: .contains(strings(contains, "contains"))))
            } else if let present = pair.value["present"], case .bool(let flag) = JSON(present) {
                expectation.headers.append((name: pair.key, rule: .present(flag)))
            } else {
                diagnostics.error("header '\(pair.key)': expected a value, 'contains' or 'present: true|false'", at: pair.keyLocation)
            }
        }
        return expectation
    }

    private mutating func readStreamCheck(_ pair: YAMLPair) -> ScenarioStep.StreamCheck? {
        switch pair.key {
        case "events":
            return .events(sequence(pair.value, "events").compactMap { readEvent($0) })
        case "comment":
            return text(pair.value, "comment").map { .comment($0) }
        default:
            guard case .bool(true) = JSON(pair.value) else {
                diagnostics.error("'\(pair.key)' takes 'true'", at: pair.value.location)
                return nil
            }
            return switch pair.key {
            case "quiet": .quiet
            case "ends": .ends
            default: .close
            }
        }
    }

    private mutating func readEvent(_ node: YAMLNode) -> EventExpectation? {
        guard let pairs = mapping(node, "an event") else { return nil }
        checkKeys(pairs, ["id", "data", "capture"], in: "an event")
        return EventExpectation(
            id: node["id"].map(JSON.init), data: node["data"].map(JSON.init),
            captures: (node["capture"]?.pairs ?? []).compactMap { readCapture($0, forEvent: true) })
    }

    private mutating func readCapture(_ pair: YAMLPair, forEvent: Bool) -> Capture? {
        guard let source = text(pair.value, "a capture") else { return nil }
        let (head, rest) = source.firstIndex(of: ".").map { (String(source[..<$0]), String(source[source.index(after: $0)...])) }
            ?? (source, "")
        let parsed: Capture.Source? =
            switch (forEvent, head) {
            case (false, "body"): rest.isEmpty ? .body(.root) : JSONPath(rest).map { .body($0) }
            case (false, "header") where !rest.isEmpty: .header(rest)
            case (false, "link") where rest == "next": .nextLink
            case (true, "id") where rest.isEmpty: .eventID
            case (true, "data"): rest.isEmpty ? .eventData(.root) : JSONPath(rest).map { .eventData($0) }
            default: nil
            }
        guard let parsed else {
            let forms = forEvent ? "id, data or data.<path>" : "body, body.<path>, header.<Name> or link.next"
            diagnostics.error("capture '\(pair.key)': '\(source)' is none of \(forms)", at: pair.value.location)
            return nil
        }
        return Capture(name: pair.key, source: parsed)
    }
}
