import ChatAPI
import Foundation
import Testing
@testable import APIRuntime
@testable import ChatServer

/// The post path's encodings made early: message ids without `UUID()`, and frames encoded
/// before the seq and name are known must be the bytes of encoding the whole event.
@Suite struct MessageFrameTests {
    @Test func messageIdsAreLowercaseVersion4UUIDsAndUnique() {
        var seen = Set<String>()
        // More than one pool's worth (256 ids), so a refill is crossed.
        for _ in 0..<1000 {
            let id = MessageID.make()
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil, "\(id)")
            #expect(UUID(uuidString: id) != nil)
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }

    @Test func formatPutsVersionAndVariantBits() {
        var bytes: (UInt64, UInt64) = (.max, .max)
        #expect(MessageID.format(&bytes) == "ffffffff-ffff-4fff-bfff-ffffffffffff")
        bytes = (0, 0)
        #expect(MessageID.format(&bytes) == "00000000-0000-4000-8000-000000000000")
    }

    static let names = [
        "Ada", "quote \" and \\ backslash", "a/b", "tab\tnew\nline\r", "\u{1}\u{8}\u{c}\u{1f}\u{7f}", "émoji 🎉 ü",
        "\"name\":\"\"", "\u{2028}\u{2029}",
    ]
    static let contents = [
        "hello", "\"seq\":0, \"name\":\"\"", "line\nbreak", "\u{1b}[31m", "ünïcödé 漢字 🎉", String(repeating: "x", count: 4000),
    ]

    @Test(arguments: names) func spliceEqualsEncodingTheWholeEvent(name: String) throws {
        for content in Self.contents {
            for seq in [1, 9, 10, 123_456_789] {
                let message = Components.Schemas.Message(
                    id: MessageID.make(), seq: seq, room: "lobby-1", userId: MessageID.make(), name: name, content: content,
                    sentAt: "2026-12-07T06:00:00.123Z")
                var template = message
                template.name = "something else"
                template.seq = 77
                template.content = content
                let frame = try #require(MessageFrame(template))
                let expected = try EncodedEvent(Components.Schemas.ChatEvent.message(message), id: String(seq))
                let made = frame.frame(name: name, seq: seq)
                #expect(made.event.bytes == expected.bytes, "name \(name.debugDescription), seq \(seq)")
                #expect(made.message.bytes == (try EncodedJSON(message)).bytes, "name \(name.debugDescription), seq \(seq)")
            }
        }
    }

    @Test(arguments: contents) func otherFieldsAreSplicedAsEncoded(content: String) throws {
        // Every string field with characters that need escaping, in a frame and in the answer.
        let message = Components.Schemas.Message(
            id: "id \"1\"", seq: 5, room: "room\\1", userId: "user\n1", name: "n", content: content, sentAt: "2026-12-07T06:00:00.123Z\u{1}")
        let made = try #require(MessageFrame(message)).frame(name: "n", seq: 5)
        #expect(made.event.bytes == (try EncodedEvent(Components.Schemas.ChatEvent.message(message), id: "5")).bytes)
        #expect(made.message.bytes == (try EncodedJSON(message)).bytes)
    }

    @Test func editedOrDeletedMessagesHaveNoFrame() {
        var message = Components.Schemas.Message(id: "i", seq: 1, room: "r", userId: "u", name: "n", content: "c", sentAt: "t")
        #expect(MessageFrame.template != nil)
        #expect(MessageFrame(message) != nil)
        message.editedAt = "t"
        #expect(MessageFrame(message) == nil)
        message.editedAt = nil
        message.deleted = true
        #expect(MessageFrame(message) == nil)
    }

    @Test func anAnswerSplicedIsTheAnswerEncoded() throws {
        let message = Components.Schemas.Message(id: "i", seq: 3, room: "r", userId: "u", name: "Ada \"A\"", content: "hi", sentAt: "t")
        let json = try #require(MessageFrame(message)).frame(name: message.name, seq: 3).message
        let spliced = Operations.PostMessage.Output.created(encoded: json).response(.init())
        let encoded = Operations.PostMessage.Output.created(message).response(.init())
        #expect(spliced.status == encoded.status)
        #expect(spliced.headers["Content-Type"] == encoded.headers["Content-Type"])
        guard case .bytes(let splicedBytes) = spliced.body, case .bytes(let encodedBytes) = encoded.body else {
            Issue.record("both answers have byte bodies")
            return
        }
        #expect(splicedBytes == encodedBytes)
    }
}
