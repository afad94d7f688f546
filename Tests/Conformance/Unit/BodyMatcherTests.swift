@testable import ConformanceKit
import RouteGenCore
import Testing

/// Comparing documented bodies with received ones: substitutions, illustrative values, modes.
@Suite struct BodyMatcherTests {
    let validator: SchemaValidator
    let lobby: Schema

    init() throws {
        let spec = try ConformanceSpec.shared.get()
        validator = SchemaValidator(document: spec.document)
        lobby = try #require(validator.schema(named: "Lobby"))
    }

    func matcher(_ mode: BodyMatcher.Mode = .complete) -> BodyMatcher {
        BodyMatcher(
            validator: validator, mode: mode,
            substitutions: ["6f1c": .init(value: "real-alice", label: "alice's id"), "general": .init(value: "general-x", label: "lobby 'general'")],
            illustrativeFormats: ["uuid", "date-time"], illustrativeProperties: ["Lobby.room"])
    }

    func json(_ text: String) throws -> JSON { try JSONParser.parse(text) }

    @Test func substitutedValuesMustBeTheRealOnes() throws {
        let expected = try json(#"{"room":"general","createdAt":"2026-11-25T12:00:00.123Z","members":[{"id":"6f1c","name":"alice"}]}"#)
        let good = try json(#"{"room":"general-x","createdAt":"2030-01-01T00:00:00.000Z","members":[{"id":"real-alice","name":"alice"}]}"#)
        #expect(matcher().mismatches(expected: expected, actual: good, schema: Schema(.reference("Lobby"), at: lobby.location)).isEmpty)
        let wrongMember = try json(#"{"room":"general-x","createdAt":"2030-01-01T00:00:00.000Z","members":[{"id":"someone","name":"alice"}]}"#)
        let found = matcher().mismatches(expected: expected, actual: wrongMember, schema: Schema(.reference("Lobby"), at: lobby.location))
        #expect(found == [#"$.members[0].id: expected alice's id "real-alice" (example "6f1c"), got "someone""#])
    }

    @Test func illustrativeValuesAreSkippedButOthersAndKeysAreNot() throws {
        let schema = Schema(.reference("Lobby"), at: lobby.location)
        let expected = try json(#"{"room":"x7k2","createdAt":"2026-11-25T12:00:00.123Z","members":[]}"#)
        #expect(matcher().mismatches(expected: expected, actual: try json(#"{"room":"ab12","createdAt":"t","members":[]}"#), schema: schema).isEmpty)
        #expect(matcher().mismatches(expected: expected, actual: try json(#"{"room":"ab12","createdAt":"t","members":[],"x":1}"#), schema: schema).count == 1)
        #expect(matcher(.fragment).mismatches(expected: try json(#"{"members":[]}"#), actual: try json(#"{"room":"a","members":[]}"#), schema: nil).isEmpty)
    }

    @Test func subsequencesKeepTheirOrder() throws {
        let expected = try json(#"[{"name":"a"},{"name":"b"}]"#)
        #expect(matcher(.fragment).mismatches(expected: expected, actual: try json(#"[{"name":"z"},{"name":"a"},{"name":"y"},{"name":"b"}]"#), schema: nil, subsequence: true).isEmpty)
        #expect(!matcher(.fragment).mismatches(expected: expected, actual: try json(#"[{"name":"b"},{"name":"a"}]"#), schema: nil, subsequence: true).isEmpty)
    }
}
