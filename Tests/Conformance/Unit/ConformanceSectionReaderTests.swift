@testable import ConformanceKit
import RouteGenCore
import Testing

/// Reading `x-conformance`: every mistake is reported at its line, nothing is skipped silently.
@Suite struct ConformanceSectionReaderTests {
    /// A one-operation spec with `section` as its `x-conformance` (already indented by two).
    func read(_ section: String) throws -> (ConformanceSection, [String]) {
        let text = """
            openapi: 3.2.0
            info:
              title: T
              version: '1'
            paths:
              /ping:
                get:
                  operationId: ping
                  responses:
                    '200':
                      description: Up.
                      content:
                        text/plain:
                          schema:
                            type: string
                          examples:
                            pong:
                              value: pong
            x-conformance:

            """ + section
        let document = try SpecLoader.load(text: text, file: "api.yaml")
        var reader = ConformanceSectionReader(document: document, file: "api.yaml")
        let read = reader.read()
        return (read, reader.diagnostics.sorted.map(\.description))
    }

    @Test func aScenarioReadsIntoItsSteps() throws {
        let (section, problems) = try read(
            """
              scenarios:
                - name: flow
                  setup:
                    - user alice
                    - lobby general
                  steps:
                    - step: open
                      open: tab
                      request:
                        path: /events/${general}
                        query:
                          userId: ${alice}
                    - streams: tab
                      events:
                        - id: 1
                          capture:
                            seen: id
                    - request:
                        method: POST
                        path: /chat/user
                        bodyBytes: 100
                      response:
                        status: 413
                        headers:
                          Allow:
                            contains:
                              - GET
            """)
        #expect(problems.isEmpty)
        let scenario = try #require(section.scenarios.first)
        #expect(scenario.setup == [.createUser("alice"), .createLobby("general")])
        #expect(scenario.steps.count == 3)
        guard case .exchange(let request, let expectation, _, let open, _) = scenario.steps[0].action else {
            Issue.record("step 1 is not an exchange")
            return
        }
        #expect(open == "tab" && request.path == "/events/${general}" && expectation.status == 200)
        guard case .streams(let names, .events(let events)) = scenario.steps[1].action else {
            Issue.record("step 2 is not a stream step")
            return
        }
        #expect(names == ["tab"] && events.count == 1 && events[0].captures.first?.name == "seen")
    }

    @Test(arguments: [
        Sample(name: "misspelt key", text: "  scenarios:\n    - name: s\n      steps:\n        - request:\n            path: /x\n          respons:\n            status: 200\n", expected: "api.yaml:25:11: error: unknown key 'respons'"),
        Sample(name: "unknown operation", text: "  fixtures:\n    nope:\n      pong:\n        match: prefix\n", expected: "api.yaml:21:5: error: fixtures for 'nope', which is no operationId"),
        Sample(name: "unknown example", text: "  fixtures:\n    ping:\n      pung:\n        match: prefix\n", expected: "has no response example of that name"),
        Sample(name: "bad setup line", text: "  fixtures:\n    ping:\n      pong:\n        setup:\n          - alice dances\n", expected: "api.yaml:24:13: error: setup line 'alice dances'"),
        Sample(name: "two stream checks", text: "  scenarios:\n    - name: s\n      steps:\n        - streams: t\n          quiet: true\n          ends: true\n", expected: "exactly one of"),
        Sample(name: "unknown requirement", text: "  scenarios:\n    - name: s\n      requires:\n        - luck\n      steps:\n        - streams: t\n          close: true\n", expected: "no built-in variable"),
        Sample(name: "bad capture", text: "  scenarios:\n    - name: s\n      steps:\n        - request:\n            path: /x\n          response:\n            status: 200\n          capture:\n            a: footer.x\n", expected: "capture 'a': 'footer.x' is none of"),
        Sample(name: "no steps", text: "  scenarios:\n    - name: s\n", expected: "scenario 's' has no steps"),
    ])
    func mistakesAreReportedAtTheirLine(mistake: Sample) throws {
        let (_, problems) = try read(mistake.text)
        #expect(problems.contains { $0.contains(mistake.expected) }, "\(problems)")
    }

    @Test func theRealSpecHasTheScenariosTheIssueAsksFor() throws {
        let names = Set(try ConformanceSpec.shared.get().section.scenarios.map(\.name))
        for wanted in ["chatFlow", "joinAndLeaveEvents", "fanOut", "resumeWithoutGap", "resyncBeyondHistory", "leaveEndsStreams",
                       "badRequests", "notFoundAndForbidden", "methodNotAllowed", "contentTooLarge", "unsupportedMediaType", "corsPreflight"] {
            #expect(names.contains(wanted), "missing scenario \(wanted)")
        }
    }
}
