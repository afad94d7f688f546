import APIRuntime
import ChatAPI
import Testing
@testable import ChatServer

/// The chat's core without sockets.
@Suite struct StoreTests {
    static func frame(_ seq: Int) -> LiveEvent {
        LiveEvent(Components.Schemas.ChatEvent.resync(Components.Schemas.Resync(room: "r", lastEventId: seq)), seq: seq, room: "r")
    }

    @Test func historyKeepsTheLatestEventsInOrder() {
        var history = EventHistory(capacity: 3)
        #expect(history.events(after: 0).isEmpty)
        for seq in 1...5 { history.append(Self.frame(seq)) }
        #expect(history.count == 3)
        #expect(history.oldestSeq == 3)
        let ids = history.events(after: 3).map { String(decoding: $0.frame.bytes, as: UTF8.self).prefix(5) }
        #expect(ids == ["id: 4", "id: 5"])
        #expect(history.events(after: 0).count == 3)
        #expect(history.events(after: 5).isEmpty)
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
        let message = Components.Schemas.Message(id: "m", seq: 9, room: "r", userId: "u", name: "n", content: "two\nlines", sentAt: "t")
        let frame = String(decoding: try EncodedEvent(Components.Schemas.ChatEvent.message(message), id: "9").bytes, as: UTF8.self)
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

/// The memory store's bounds: caps on users and lobbies, and a budget for retained messages
/// that the fullest lobbies pay first, with history and resume staying truthful.
@Suite struct MemoryBudgetTests {
    @Test func retainedMessagesStayUnderTheBudgetAndTheFullestLobbyPaysFirst() throws {
        var limits = ChatLimits()
        limits.retainedBytesBudget = 400_000
        let store = MemoryChatStore(limits: limits)
        let alice = try store.createUser(name: "alice")
        let busy = try store.createLobby(room: "busy").room
        let quiet = try store.createLobby(room: "quiet").room
        _ = try store.join(busy, userId: alice.id)
        _ = try store.join(quiet, userId: alice.id)
        for index in 0..<10 { _ = try store.post(quiet, userId: alice.id, content: "quiet \(index)") }
        let long = String(repeating: "x", count: 4000)
        for _ in 0..<500 { _ = try store.post(busy, userId: alice.id, content: long) }
        let retained = store.state.withLock { $0.retainedBytes }
        #expect(retained <= 400_000)
        #expect(retained == store.state.withLock { $0.lobbies.values.reduce(0) { $0 + $1.retainedBytes } })
        #expect(try store.messages(quiet, limit: 100, after: nil).count == 10, "the quiet lobby kept everything")
        let kept = try store.messages(busy, limit: 1000, after: nil)
        #expect(!kept.isEmpty && kept.count < 500)
        #expect(kept.map(\.seq) == Array((502 - kept.count)...501), "the newest are kept, in order, with no gap")
        // Asking from the start answers what is retained, from its oldest on.
        #expect(try store.messages(busy, limit: 5, after: 0).first?.seq == kept.first?.seq)
    }

    @Test func aResumeFromTrimmedEventsIsAResync() throws {
        var limits = ChatLimits()
        limits.retainedBytesBudget = 100_000
        let server = try TestServer { $0.chat = limits }
        let (room, alice) = try server.makeMember()
        let long = String(repeating: "y", count: 3000)
        for _ in 0..<100 { _ = try server.post(room, alice, long) }
        let stream = try server.openStream(room, userId: alice, lastEventId: 1)
        let first = try #require(try stream.next())
        #expect(first.type == "resync")
        #expect(first.payload["lastEventId"] as? Int == 101)
    }

    @Test func usersAndLobbiesAreCapped() throws {
        var limits = ChatLimits()
        limits.maxUsers = 2
        limits.maxLobbies = 1
        let store = MemoryChatStore(limits: limits)
        _ = try store.createUser(name: "a")
        _ = try store.createUser(name: "b")
        #expect(throws: ChatError.atCapacity(what: "users", limit: 2)) { try store.createUser(name: "c") }
        _ = try store.createLobby(room: nil)
        #expect(throws: ChatError.atCapacity(what: "lobbies", limit: 1)) { try store.createLobby(room: "more") }
    }
}
