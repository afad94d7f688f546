@testable import ConformanceKit
import Testing

/// The server, judged by api.yaml: every documented example replayed, every `x-conformance`
/// scenario run, against one server started for the whole suite (or `CONFORMANCE_BASE_URL`).
/// Tests run in parallel; each uses its own users and lobbies.
@Suite(ConformanceRun()) struct ServerConformance {}

extension ServerConformance {
    /// Each documented request example, replayed and checked against its documented response.
    @Suite struct ExampleReplay {
        @Test("documented exchange", arguments: ConformanceSpec.loaded?.exchanges ?? [])
        func replay(_ exchange: ExampleExchange) async {
            await ConformanceRun.record(.exchange(exchange))
        }
    }

    /// Each multi-step scenario of `x-conformance`.
    @Suite struct Scenarios {
        @Test("scenario", arguments: ConformanceSpec.loaded?.section.scenarios ?? [])
        func run(_ scenario: Scenario) async {
            await ConformanceRun.record(.scenario(scenario))
        }
    }
}

extension ExampleExchange: CustomTestStringConvertible {
    public var testDescription: String { "\(id) → \(response.status)" }
}

extension Scenario: CustomTestStringConvertible {
    public var testDescription: String { name }
}
