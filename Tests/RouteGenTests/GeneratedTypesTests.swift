import APIRuntime
import ChatAPI
import Foundation
import Testing

/// Sample payloads through the types the build generated from the real `api.yaml`.
@Suite struct GeneratedTypesTests {
    static func roundTrip<T: Codable & Equatable>(_ type: T.Type, _ json: String) throws -> (T, Bool) {
        let value = try JSONDecoder().decode(T.self, from: Data(json.utf8))
        let encoded = try JSONEncoder().encode(value)
        let original = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? NSDictionary
        let again = try JSONSerialization.jsonObject(with: encoded) as? NSDictionary
        let decodedAgain = try JSONDecoder().decode(T.self, from: encoded)
        return (value, original == again && decodedAgain == value)
    }

    static let message = """
        {"id":"0b6f6d7e-8f5e-4c55-9a7e-2a1d1f7f3c11","seq":3,"room":"general","userId":"6f1c2b0e-1d2a-4a63-9a55-0e1f2d3c4b5a",\
        "name":"alice","content":"hi <b>there</b> \\u00e9","sentAt":"2026-11-25T12:00:00.123Z"}
        """

    @Test func messageEventRoundTripsTheEnvelope() throws {
        let (event, same) = try Self.roundTrip(Components.Schemas.ChatEvent.self, #"{"type":"message","payload":"# + Self.message + "}")
        #expect(same)
        guard case .message(let message) = event else {
            Issue.record("expected a message event, got \(event)")
            return
        }
        #expect(message.seq == 3)
        #expect(message.content == "hi <b>there</b> é")
    }

    @Test func joinLeaveAndResyncRoundTrip() throws {
        let member = #"{"id":"6f1c2b0e-1d2a-4a63-9a55-0e1f2d3c4b5a","name":"bob","room":"general"}"#
        let (join, joinSame) = try Self.roundTrip(Components.Schemas.ChatEvent.self, #"{"type":"join","payload":"# + member + "}")
        #expect(joinSame)
        #expect(join == .join(Components.Schemas.MemberChange(id: "6f1c2b0e-1d2a-4a63-9a55-0e1f2d3c4b5a", name: "bob", room: "general")))
        let (leave, leaveSame) = try Self.roundTrip(Components.Schemas.ChatEvent.self, #"{"type":"leave","payload":"# + member + "}")
        #expect(leaveSame)
        if case .leave = leave {} else { Issue.record("expected leave, got \(leave)") }
        let (resync, resyncSame) = try Self.roundTrip(Components.Schemas.ChatEvent.self, #"{"type":"resync","payload":{"room":"general","lastEventId":7}}"#)
        #expect(resyncSame)
        #expect(resync == .resync(Components.Schemas.Resync(room: "general", lastEventId: 7)))
    }

    @Test func unknownEventTypeIsRejected() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Components.Schemas.ChatEvent.self, from: Data(#"{"type":"typing","payload":{}}"#.utf8))
        }
    }

    @Test func lobbyAndProblemRoundTrip() throws {
        let lobby = #"{"room":"abcd","createdAt":"2026-11-25T12:00:00.000Z","members":[{"id":"6f1c2b0e-1d2a-4a63-9a55-0e1f2d3c4b5a","name":"alice"}]}"#
        #expect(try Self.roundTrip(Components.Schemas.Lobby.self, lobby).1)
        let problem = #"{"type":"https://chat.example/problems/validation","title":"Bad Request","status":400,"detail":"invalid","errors":[{"field":"body.name","reason":"must not be empty"}]}"#
        #expect(try Self.roundTrip(Components.Schemas.Problem.self, problem).1)
    }

    @Test func schemaRulesFromTheSpecCatchBadBodies() throws {
        var validator = SchemaValidator()
        validator.check(try JSONReader.parse(Array(#"{"name":"","extra":1}"#.utf8)), against: Components.Schemas.CreateUserRequest.schemaRule, at: "body")
        #expect(validator.errors.map(\.field) == ["body.name", "body.extra"])
        var good = SchemaValidator()
        good.check(try JSONReader.parse(Array(#"{"name":"alice"}"#.utf8)), against: Components.Schemas.CreateUserRequest.schemaRule, at: "body")
        #expect(good.errors.isEmpty)
    }

    @Test func theSpecIsEmbedded() {
        #expect(APISpec.yaml.hasPrefix("openapi: 3.2"))
        #expect(APISpec.yaml.contains("/events/{room}"))
    }
}
