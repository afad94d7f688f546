import RouteGenCore

extension ScenarioRunner {
    /// Checks one open stream against a stream step.
    func checkStream(_ monitor: StreamMonitor, _ check: ScenarioStep.StreamCheck, step: ScenarioStep, number: Int) {
        var problems = StepProblems()
        let timeout = context.settings.timeout
        do {
            switch check {
            case .events(let expected):
                for (index, event) in expected.enumerated() {
                    try expectEvent(event, index: index, count: expected.count, on: monitor, &problems)
                    if !problems.fatal.isEmpty { break }
                }
            case .quiet:
                let quiet = context.settings.quietPeriod
                try readUntilDone(monitor, Deadline(after: quiet), &problems) { read in
                    switch read {
                    case .comment: return nil
                    case .event(let event): return "expected no event for \(quiet) s, got \(Self.describe(event))"
                    case .ended: return "expected the stream to stay open (quiet for \(quiet) s), but the server ended it"
                    case .timedOut: return ""
                    }
                }
            case .ends:
                try readUntilDone(monitor, Deadline(after: timeout), &problems) { read in
                    switch read {
                    case .comment: return nil
                    case .event(let event): return "expected the server to end the stream, got \(Self.describe(event))"
                    case .ended: return ""
                    case .timedOut: return "expected the server to end the stream within \(timeout) s; it is still open"
                    }
                }
                streams[monitor.name] = nil
            case .comment(let text):
                // A heartbeat comes after the server's heartbeat interval of silence, at the latest a
                // quarter interval later (api.yaml, the stream): wait that, plus the timeout.
                let heartbeat: Double = switch context.builtIns["heartbeat"] {
                case .number(let seconds)?: seconds
                case .integer(let seconds)?: Double(seconds)
                default: 0
                }
                let timeout = heartbeat * 1.25 + timeout
                try readUntilDone(monitor, Deadline(after: timeout), &problems) { read in
                    switch read {
                    case .comment(let seen): return seen == text ? "" : nil
                    case .event(let event): return "expected the comment ': \(text)' first, got \(Self.describe(event))"
                    case .ended: return "expected the comment ': \(text)', but the server ended the stream"
                    case .timedOut: return "expected the comment ': \(text)' within \(timeout) s; got none"
                    }
                }
            case .close:
                monitor.stream.close()
                streams[monitor.name] = nil
            }
        } catch {
            problems.fatal.append("\(error)")
        }
        if !problems.isEmpty {
            fail(
                at: step.location, title(of: step, number: number) + " on stream '\(monitor.name)'", request: monitor.stream.request,
                problems.text, fatal: !problems.fatal.isEmpty)
        }
    }

    /// Reads until `verdict` decides: nil reads on, "" is success, anything else a fatal problem.
    private func readUntilDone(
        _ monitor: StreamMonitor, _ deadline: Deadline, _ problems: inout StepProblems, verdict: (StreamMonitor.Read) -> String?
    ) throws(ClientError) {
        for _ in 0..<100_000 {
            let read = try monitor.read(deadline: deadline, problems: &problems.other)
            if case .event(let event) = read { noteSameBytes(event, on: monitor, &problems.other) }
            guard let outcome = verdict(read) else { continue }
            if !outcome.isEmpty { problems.fatal.append(outcome) }
            return
        }
    }

    private func expectEvent(
        _ expected: EventExpectation, index: Int, count: Int, on monitor: StreamMonitor, _ problems: inout StepProblems
    ) throws(ClientError) {
        let timeout = context.settings.timeout
        let resolvedID = expected.id.flatMap { try? variables.resolve($0) }
        let wanted = "event \(index + 1) of \(count)" + (resolvedID.map { " (id \($0))" } ?? "")
        var received: StreamMonitor.Event?
        try readUntilDone(monitor, Deadline(after: timeout), &problems) { read in
            switch read {
            case .comment: return nil
            case .event(let event):
                received = event
                return ""
            case .ended: return "expected \(wanted), but the server ended the stream"
            case .timedOut: return "expected \(wanted) within \(timeout) s; got nothing (the stream is still open)"
            }
        }
        guard let event = received else { return }
        do {
            if let idTemplate = expected.id {
                let id = try variables.resolve(idTemplate)
                let wantedID = if case .string(let text) = id { Int(text).map(JSON.integer) ?? id } else { id }
                // A cursor (`room:seq,…`) is compared as sent, a seq as a number.
                let gotID: JSON? = if case .string = wantedID { event.rawID.map(JSON.string) } else { event.id.map(JSON.integer) }
                if gotID != wantedID {
                    problems.other.append("\(wanted): expected id \(wantedID), got \(event.id.map(String.init) ?? "none"): \(Self.describe(event))")
                }
            }
            if let fragment = expected.data {
                let matcher = BodyMatcher(validator: checker.validator, mode: .fragment)
                if let json = event.json {
                    problems.other += matcher.mismatches(expected: try variables.resolve(fragment), actual: json, schema: nil)
                        .map { "\(wanted): data \($0)" }
                }
            }
        } catch {
            problems.fatal.append("\(error)")
        }
        for capture in expected.captures {
            let value: JSON? = switch capture.source {
            case .eventID: event.room != nil ? event.rawID.map(JSON.string) : event.id.map(JSON.integer)
            case .eventData(let path): event.json.flatMap { path.value(in: $0) }
            case .body, .header, .nextLink: nil
            }
            if let value { variables[capture.name] = value } else { problems.fatal.append("capture '\(capture.name)': nothing at \(capture.source) in \(Self.describe(event))") }
        }
    }

    /// Every subscriber of a lobby must receive the same bytes for the same event.
    private func noteSameBytes(_ event: StreamMonitor.Event, on monitor: StreamMonitor, _ problems: inout [String]) {
        // A resync is framed with an id another stream saw as a real event.
        guard let id = event.id, event.json?["type"] != .string("resync") else { return }
        let key = "\(monitor.lobbyPath(of: event))#\(id)"
        guard let first = firstData[key] else {
            firstData[key] = (stream: monitor.name, data: event.data)
            return
        }
        if first.data != event.data {
            problems.append("event \(id) differs from the same event on stream '\(first.stream)':\n  here:  \(event.data.prefix(300))\n  there: \(first.data.prefix(300))")
        }
    }

    /// `event id 3 {"type":"message",…}`, cut to 300 characters.
    static func describe(_ event: StreamMonitor.Event) -> String {
        "event id \(event.id.map(String.init) ?? "none") \(event.data.prefix(300))"
    }
}
