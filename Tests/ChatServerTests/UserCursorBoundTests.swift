import APIRuntime
import ChatAPI
import Testing
@testable import ChatServer

/// The per-user lobby cap keeps a user stream's cursor within what the server takes back as
/// `Last-Event-ID`, by the real constants: the longest room code the spec accepts, the longest
/// seq the cursor pattern takes, and the server's own answer to the longest cursor of the most
/// lobbies (the default cap and the flag's ceiling). Raising the cap, the code length or the
/// seq digits without the header's limit fails here.
@Suite struct UserCursorBoundTests {
    /// The longest code `POST /chat` accepts (the spec's room-code pattern).
    static let longestRoomCode: Int = {
        (1...1000).last { length in
            var validator = SchemaValidator()
            validator.check(.object(["room": .string(String(repeating: "a", count: length))]), against: Components.Schemas.CreateLobbyRequest.schemaRule, at: "body")
            return validator.errors.isEmpty
        } ?? 0
    }()

    /// A cursor of `count` entries, each as long as any can be: distinct codes of the longest
    /// length and seqs of `digits` digits.
    static func longestCursor(entries count: Int, digits: Int) -> String {
        (0..<count).map { index in
            let prefix = "r\(index)-"
            return prefix + String(repeating: "a", count: longestRoomCode - prefix.count) + ":" + String(repeating: "9", count: digits)
        }.joined(separator: ",")
    }

    /// The status of a user stream opened with `cursor` as `Last-Event-ID`.
    static func status(resumingWith cursor: String, on server: TestServer, as userId: String) throws -> Int {
        let stream = try server.openUserStream(userId, cursor: cursor)
        defer { stream.close() }
        return stream.head.status
    }

    @Test func theLongestCursorOfTheMostLobbiesIsOneTheServerTakesBack() throws {
        #expect(Self.longestRoomCode == 64)
        let server = try TestServer()
        let alice = try server.makeUser()
        // 18 digits is the longest seq a cursor may hold: 19 is refused.
        let seqDigits = 18
        #expect(try Self.status(resumingWith: Self.longestCursor(entries: 1, digits: seqDigits + 1), on: server, as: alice) == 400)
        let entryBytes = Self.longestRoomCode + 1 + seqDigits + 1  // code, ':', seq, ','
        let headerName = "Last-Event-ID: ".utf8.count
        let defaultCap = ChatLimits().maxLobbiesPerUser
        let ceiling = ChatLimitOptions.maxLobbiesPerUserCeiling
        #expect(defaultCap <= ceiling)
        for cap in [defaultCap, ceiling] {
            let cursor = Self.longestCursor(entries: cap, digits: seqDigits)
            #expect(cursor.utf8.count <= cap * entryBytes)
            // nginx's default header line (large_client_header_buffers) is 8 KiB as well.
            #expect(headerName + cursor.utf8.count <= 8192)
            #expect(try Self.status(resumingWith: cursor, on: server, as: alice) == 200, "a cursor of \(cap) entries, \(cursor.utf8.count) bytes")
        }
        // Comfortably: the default's longest cursor takes at most two thirds of the header's limit.
        #expect(3 * defaultCap * entryBytes <= 2 * 8192)
        // And the limit is what bounds it: a few lobbies past the ceiling the server refuses the cursor.
        let pastTheLimit = 8192 / entryBytes + 1
        #expect(try Self.status(resumingWith: Self.longestCursor(entries: pastTheLimit, digits: seqDigits), on: server, as: alice) == 400)
    }
}
