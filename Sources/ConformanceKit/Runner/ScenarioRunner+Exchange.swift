import RouteGenCore

extension ScenarioRunner {
    /// Sends one request of a step (opening a stream when asked) and checks the answer.
    func exchange(
        _ template: RequestTemplate, _ expectation: ResponseExpectation, captures: [Capture], open: String?, step: ScenarioStep, number: Int
    ) {
        let heading = title(of: step, number: number)
        let request: ClientRequest
        do {
            request = try authorize(try build(template), template.credential)
        } catch let unknown as CredentialBook.Unknown where credentials.tokens.isEmpty {
            skipReason = "\(heading) cannot be judged: \(unknown.unjudgeable)"
            mustStop = true
            return
        } catch {
            return fail(at: step.location, heading, request: nil, "\(error)")
        }
        do {
            // Opening reads a 200 event stream's head and keeps it open; any other answer is read whole.
            switch try context.client.open(request, expecting: expectation.status) {
            case .stream(let stream): opened(stream, as: open, expectation, step: step, number: number)
            case .response(let response): answered(request, response, expectation, captures: captures, step: step, number: number)
            }
        } catch {
            fail(at: step.location, heading, request: request, "expected status \(expectation.status); \(error)")
        }
    }

    /// `request` with the credential `choice` names (see `CredentialBook`).
    private func authorize(_ request: ClientRequest, _ choice: CredentialChoice) throws(CredentialBook.Unknown) -> ClientRequest {
        let operation = context.spec.operations.operation(method: request.method, target: request.originTarget)
        let labels = variables
        return try credentials.attach(to: request, operation: operation, document: context.spec.document, choice: choice) { label in
            if case .string(let id)? = labels[label] { id } else { nil }
        }.get()
    }

    /// The request a template describes, with its variables resolved.
    func build(_ template: RequestTemplate) throws(Variables.Unbound) -> ClientRequest {
        var target = try variables.resolve(template.path)
        var query: [String] = []
        for item in template.query {
            let value = try variables.resolve(item.value).plainText
            query.append(ClientRequest.encodeQueryComponent(item.name) + "=" + ClientRequest.encodeQueryComponent(value))
        }
        if !query.isEmpty { target += "?" + query.joined(separator: "&") }
        var request = ClientRequest(method: template.method, target: target)
        for header in template.headers {
            request.headers.append((name: header.name, value: try variables.resolve(header.value).plainText))
        }
        switch template.body {
        case .json(let json)?:
            request.body = Array(try variables.resolve(json).description.utf8)
            if request.header("Content-Type") == nil { request.headers.append((name: "Content-Type", value: "application/json")) }
        case .raw(let text)?:
            request.body = Array(try variables.resolve(text).utf8)
        case .filler(let size)?:
            let frame = Array("{\"filler\":\"\"}".utf8)
            request.body = Array(frame.prefix(11)) + [UInt8](repeating: UInt8(ascii: "a"), count: max(0, size - frame.count)) + Array(frame.suffix(2))
            if request.header("Content-Type") == nil { request.headers.append((name: "Content-Type", value: "application/json")) }
        case nil:
            break
        }
        return request
    }

    private func opened(_ stream: EventStream, as name: String?, _ expectation: ResponseExpectation, step: ScenarioStep, number: Int) {
        context.noteAnswer(to: stream.request, status: stream.head.status, source: .scenario)
        var problems = StepProblems()
        if expectation.status != 200 {
            problems.fatal.append("expected status \(expectation.status), got a 200 event stream")
        }
        problems.other += checker.problems(request: stream.request, head: stream.head, body: nil)
        problems.other += headerProblems(stream.head, expectation)
        do {
            if try !stream.awaitOpening(deadline: Deadline(after: context.settings.timeout)) {
                problems.fatal.append("the stream sent no complete opening block (retry:, comment, blank line) within \(context.settings.timeout) s")
            }
        } catch {
            problems.fatal.append("reading the opening block: \(error)")
        }
        problems.other += stream.takeNewViolations().map { "framing: \($0)" }
        if !problems.isEmpty {
            fail(at: step.location, title(of: step, number: number), request: stream.request, problems.text, fatal: !problems.fatal.isEmpty)
        }
        guard let name, problems.fatal.isEmpty, let eventSchema = context.spec.eventSchema else {
            stream.close()
            return
        }
        streams[name]?.stream.close()
        streams[name] = StreamMonitor(name: name, stream: stream, eventSchema: eventSchema, validator: checker.validator)
    }

    private func answered(
        _ request: ClientRequest, _ response: ClientResponse, _ expectation: ResponseExpectation, captures: [Capture], step: ScenarioStep,
        number: Int
    ) {
        context.noteAnswer(to: request, status: response.status, source: .scenario)
        credentials.learn(from: try? JSONParser.parse(response.body))
        var problems = StepProblems()
        if response.status != expectation.status {
            problems.fatal.append("expected status \(expectation.status), got \(response.summary)")
        }
        problems.other += checker.problems(request: request, head: response.head, body: request.method == "HEAD" ? nil : response.body)
        problems.other += headerProblems(response.head, expectation)
        if response.status == expectation.status {
            problems.other += bodyProblems(response, expectation)
            for capture in captures {
                if let value = captured(capture, from: response) { variables[capture.name] = value } else {
                    problems.fatal.append("capture '\(capture.name)': nothing at \(capture.source) in \(response.summary)")
                }
            }
        }
        if problems.fatal.isEmpty && !problems.other.isEmpty { problems.other.append("(response: \(response.summary))") }
        if !problems.isEmpty {
            fail(at: step.location, title(of: step, number: number), request: request, problems.text, fatal: !problems.fatal.isEmpty)
        }
    }

    private func bodyProblems(_ response: ClientResponse, _ expectation: ResponseExpectation) -> [String] {
        var problems: [String] = []
        if let text = expectation.text, response.text != text {
            problems.append("expected the body \(JSON.quoted(text)), got \(JSON.quoted(String(response.text.prefix(200))))")
        }
        guard let fragment = expectation.body else { return problems }
        let wanted: JSON
        do {
            wanted = try variables.resolve(fragment)
        } catch {
            return problems + ["\(error)"]
        }
        guard let actual = try? JSONParser.parse(response.body) else { return problems + ["expected a JSON body, got \(response.summary)"] }
        let matcher = BodyMatcher(validator: checker.validator, mode: .fragment)
        return problems + matcher.mismatches(expected: wanted, actual: actual, schema: nil).map { "body \($0)" }
    }

    func headerProblems(_ head: ResponseHead, _ expectation: ResponseExpectation) -> [String] {
        var problems: [String] = []
        for (name, rule) in expectation.headers {
            let value = head.header(name)
            switch rule {
            case .equals(let template):
                let wanted = (try? variables.resolve(template))?.plainText
                if value != wanted { problems.append("header \(name): expected '\(wanted ?? "?")', got '\(value ?? "missing")'") }
            case .contains(let tokens):
                let listed = Set((value ?? "").split(separator: ",").map { String($0).trimmingSpaces.lowercased() })
                let absent = tokens.filter { !listed.contains($0.lowercased()) }
                if !absent.isEmpty { problems.append("header \(name): '\(value ?? "missing")' lacks \(absent.joined(separator: ", "))") }
            case .present(let wanted):
                if (value != nil) != wanted { problems.append("header \(name): expected it \(wanted ? "present" : "absent"), got '\(value ?? "missing")'") }
            }
        }
        return problems
    }

    private func captured(_ capture: Capture, from response: ClientResponse) -> JSON? {
        switch capture.source {
        case .body(let path): (try? JSONParser.parse(response.body)).flatMap { path.value(in: $0) }
        case .header(let name): response.head.header(name).map { .string($0) }
        case .nextLink: PageWalker.nextTarget(response.head).map { .string($0) }
        case .eventID, .eventData: nil
        }
    }
}

extension Capture.Source: CustomStringConvertible {
    var description: String {
        switch self {
        case .body(let path): "body.\(path)"
        case .header(let name): "header.\(name)"
        case .nextLink: "link.next"
        case .eventID: "id"
        case .eventData(let path): "data.\(path)"
        }
    }
}
