@testable import ConformanceKit
import Testing

/// The spec drives the suite: it must load, with its `x-conformance` section, before anything
/// can be replayed.
@Suite struct SpecReading {
    @Test func theSpecAndItsConformanceSectionLoad() throws {
        let spec = try ConformanceSpec.shared.get()
        #expect(!spec.exchanges.isEmpty)
        #expect(!spec.section.scenarios.isEmpty)
        #expect(spec.eventSchema != nil)
    }
}
