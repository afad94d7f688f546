import APIRuntime
import ChatAPI
import Testing
@testable import ChatServer

/// The chat's core without sockets.
@Suite struct StoreTests {
    static func frame(_ seq: Int) -> EventHistory.Entry {
        let event = ChatEvent.resync(Resync(room: "r", lastEventId: seq))
        return EventHistory.Entry(seq: seq, frame: try! EncodedEvent(event, id: String(seq)))
    }

    @Test func historyKeepsTheLatestEventsInOrder() {
        var history = EventHistory(capacity: 3)
        #expect(history.frames(after: 0).isEmpty)
        for seq in 1...5 { history.append(Self.frame(seq)) }
        #expect(history.count == 3)
        #expect(history.oldestSeq == 3)
        let ids = history.frames(after: 3).map { String(decoding: $0.bytes, as: UTF8.self).prefix(5) }
        #expect(ids == ["id: 4", "id: 5"])
        #expect(history.frames(after: 0).count == 3)
        #expect(history.frames(after: 5).isEmpty)
    }

    @Test func zeroCapacityHistoryRetainsNothing() {
        var history = EventHistory(capacity: 0)
        history.append(Self.frame(1))
        #expect(history.count == 0 && history.oldestSeq == nil)
    }

    @Test func generatedRoomCodesAreShortAndAvoidTakenOnes() {
        var taken: Set<String> = []
        for _ in 0..<500 {
            let code = RoomCode.generate { taken.contains($0) }
            #expect(code.count >= 4 && code.count <= 8)
            #expect(code.allSatisfy { RoomCode.alphabet.contains($0) })
            #expect(taken.insert(code).inserted)
        }
        var everyShortCodeTaken = SystemRandomNumberGenerator()
        let long = RoomCode.generate(using: &everyShortCodeTaken) { $0.count < 6 }
        #expect(long.count == 6)
    }

    @Test func identityComesFromQueryOrHeaderAndMustAgree() throws {
        #expect(try ChatHandler.identity(query: "a", header: nil) == "a")
        #expect(try ChatHandler.identity(query: nil, header: "b") == "b")
        #expect(try ChatHandler.identity(query: "a", header: "a") == "a")
        #expect(throws: ChatError.missingIdentity) { try ChatHandler.identity(query: nil, header: nil) }
        #expect(throws: ChatError.conflictingIdentity(query: "a", header: "b")) { try ChatHandler.identity(query: "a", header: "b") }
    }

    @Test func encodedEventsAreOneFrameOfOneLineJSON() throws {
        let message = Message(id: "m", seq: 9, room: "r", userId: "u", name: "n", content: "two\nlines", sentAt: "t")
        let frame = String(decoding: try EncodedEvent(ChatEvent.message(message), id: "9").bytes, as: UTF8.self)
        #expect(frame.hasPrefix("id: 9\ndata: {"))
        #expect(frame.hasSuffix("}\n\n"))
        #expect(frame.split(separator: "\n").count == 2)
        #expect(frame.contains(#""content":"two\nlines""#))
    }

    @Test func blankNamesAreRejectedAfterTrimming() throws {
        let store = MemoryChatStore()
        #expect(throws: ChatError.blankName) { try store.createUser(name: " \n\t ") }
        #expect(try store.createUser(name: " bob ").name == "bob")
    }
}
