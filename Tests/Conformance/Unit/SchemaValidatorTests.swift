@testable import ConformanceKit
import RouteGenCore
import Testing

/// The validator, judged on the spec's own examples (which must pass) and on broken copies of
/// them (which must not).
@Suite struct SchemaValidatorTests {
    let spec: ConformanceSpec
    let validator: SchemaValidator

    init() throws {
        spec = try ConformanceSpec.shared.get()
        validator = SchemaValidator(document: spec.document, formatProfiles: spec.section.formatProfiles)
    }

    func schema(_ name: String) throws -> Schema { try #require(validator.schema(named: name)) }

    func violations(_ json: String, _ name: String) throws -> [String] {
        validator.validate(try JSONParser.parse(json), against: try schema(name)).map(\.description)
    }

    @Test func everyDocumentedJSONAndEventExampleIsValid() throws {
        var checked = 0
        for operation in spec.document.operations {
            for response in operation.responses {
                for example in response.examples {
                    switch response.content {
                    case .json(_, let schema)?:
                        #expect(validator.validate(example.value, against: schema).isEmpty, "\(operation.id).\(example.name)")
                    case .eventStream(let schema)?:
                        guard case .array(let items) = example.value else { continue }
                        for case .string(let data)? in items.map({ $0["data"] }) {
                            #expect(validator.validate(try JSONParser.parse(data), against: schema).isEmpty, "\(operation.id).\(example.name)")
                        }
                    default: continue
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 40)
    }

    @Test(arguments: [
        (#"{"id":"6F1C2A4E-3B5D-4E7F-8A9B-0C1D2E3F4A5B","name":"a"}"#, "User", "does not match"),
        (#"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b"}"#, "User", "missing the required property 'name'"),
        (#"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":"a","admin":true}"#, "User", "unexpected property 'admin'"),
        (#"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":""}"#, "User", "shorter than 1"),
        (#"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":7}"#, "User", "expected a string"),
        (#"{"room":"general\n","createdAt":"2026-11-25T12:00:00.123Z","members":[]}"#, "Lobby", "does not match"),
        (#"{"room":"g","createdAt":"2026-02-30T12:00:00.123Z","members":[]}"#, "Lobby", "not an RFC 3339 date-time"),
        (#"{"room":"g","createdAt":"2026-11-25T12:00:00Z","members":[]}"#, "Lobby", "date-time convention"),
        (#"{"room":"g","createdAt":"2026-11-25T12:00:00.123Z","members":{}}"#, "Lobby", "expected an array"),
        (#"{"type":"join","payload":{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":"a"}}"#, "ChatEvent", "missing the required property 'room'"),
        (#"{"type":"joined","payload":{}}"#, "ChatEvent", "expected one of"),
        (#"{"payload":{}}"#, "ChatEvent", "missing the discriminator"),
        (#"{"type":"resync","payload":{"room":"g","lastEventId":1.5}}"#, "ChatEvent", "expected an integer"),
        (#"{"type":"resync","payload":{"room":"g","lastEventId":-1}}"#, "ChatEvent", "below the minimum 0"),
        (#"{"type":"t","title":"T","status":200,"detail":"d"}"#, "Problem", "below the minimum 400"),
        (#"{"type":"t","title":"T","status":400,"detail":"d","errors":[]}"#, "Problem", "at least 1 items"),
    ])
    func brokenValuesAreCaught(json: String, schemaName: String, expected: String) throws {
        let found = try violations(json, schemaName)
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func integralNumbersCountAsIntegersAndLengthsCountScalars() throws {
        #expect(try violations(#"{"type":"resync","payload":{"room":"g","lastEventId":2.0}}"#, "ChatEvent").isEmpty)
        let name = String(repeating: "👋", count: 64)
        #expect(try violations(#"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":"\#(name)"}"#, "User").isEmpty)
        #expect(!(try violations(#"{"id":"6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b","name":"\#(name)a"}"#, "User").isEmpty))
    }

    @Test func formatsFollowTheirRFCs() {
        #expect(FormatCheck.isUUID("6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b"))
        #expect(!FormatCheck.isUUID("6f1c2a4e3b5d-4e7f-8a9b-0c1d2e3f4a5b-"))
        #expect(FormatCheck.isDateTime("2024-02-29T23:59:60.5+01:00"))
        #expect(!FormatCheck.isDateTime("2023-02-29T00:00:00Z"))
        #expect(!FormatCheck.isDateTime("2026-11-25 12:00:00Z"))
        #expect(PatternCache.ecmaAnchored(#"^a[$]\$b$"#) == #"^a[$]\$b\z"#)
    }
}
