import Foundation
import HTTPServer
import Testing
@testable import ChatServer

/// No one acts as someone else: over real sockets, on both stores, every operation that acts
/// as a user refuses a missing, forged or borrowed token; `--auth none` stays open.
@Suite struct IdentityTests {
    @Test(arguments: StoreKind.all) func signUpAnswersATokenOfTheDocumentedFormAndKeepsOnlyItsDigest(_ store: StoreKind) async throws {
        let server = try TestServer(store: store)
        let answer = try server.request("POST", "/chat/user", json: #"{"name":"alice"}"#)
        #expect(answer.header("Cache-Control") == "no-store", "the answer holds a secret")
        let created = try answer.object()
        let id = try #require(created["id"] as? String)
        let token = try #require(created["token"] as? String)
        #expect(token.wholeMatch(of: /[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}/) != nil)
        #expect(token.hasPrefix(id + "."))
        let parsed = try #require(UserToken(parsing: token))
        let stored = try #require(try await server.store.tokenDigest(of: id))
        #expect(stored == SHA256.digest(Array(parsed.secret.utf8)))
        #expect(!String(decoding: stored, as: UTF8.self).contains(parsed.secret))
        // Two sign-ups never share a secret.
        let other = try server.request("POST", "/chat/user", json: #"{"name":"alice"}"#).object()["token"] as? String
        #expect(other.flatMap(UserToken.init(parsing:))?.secret != parsed.secret)
    }

    @Test(arguments: StoreKind.all) func everyOperationThatActsAsAUserRefusesAMissingForgedOrBorrowedToken(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let forged = "Bearer \(alice).\(String(repeating: "A", count: 43))"
        let asBob = TestTokens.bearer(of: bob)
        let actions: [(String, String, String?)] = [
            ("POST", "/chat/\(room)/join", #"{"userId":"\#(alice)"}"#),
            ("POST", "/chat/\(room)/message", #"{"userId":"\#(alice)","message":"as alice"}"#),
            ("POST", "/chat/\(room)/leave", #"{"userId":"\#(alice)"}"#),
            ("GET", "/events/\(room)?userId=\(alice)", nil),
        ]
        for (method, target, body) in actions {
            let missing = try server.request(method, target, json: body)
            #expect(missing.status == 401, "\(method) \(target)")
            #expect(missing.header("WWW-Authenticate")?.hasPrefix(#"Bearer realm="Chat API""#) == true)
            let bad = try server.request(method, target, json: body, authorization: forged)
            #expect(bad.status == 401, "\(method) \(target)")
            #expect(bad.header("WWW-Authenticate") == #"Bearer realm="Chat API", error="invalid_token""#)
            let borrowed = try server.request(method, target, json: body, authorization: asBob)
            #expect(borrowed.status == 403, "\(method) \(target)")
            #expect(try borrowed.object()["type"] as? String == "https://chat.example/problems/wrong-user")
        }
        // Nothing happened as alice: no message, and she is still a member.
        let messages = try server.request("GET", "/chat/\(room)/messages").json() as? [Any]
        #expect(messages?.isEmpty == true)
        let members = try server.request("GET", "/chat/\(room)").object()["members"] as? [[String: Any]]
        #expect(members?.compactMap { $0["id"] as? String } == [alice, bob])
    }

    @Test func theStreamTakesTheTokenInTheQueryAndNoOtherOperationDoes() throws {
        let server = try TestServer()
        let (room, alice) = try server.makeMember()
        let token = try #require(TestTokens.token(of: alice))
        let connection = try TestConnection(port: server.port)
        try connection.send("GET /events/\(room)?userId=\(alice)&access_token=\(token)&lastEventId=0 HTTP/1.1\r\nHost: x\r\n\r\n")
        let head = try connection.readResponse(bodyExpected: false)
        #expect(head.status == 200)
        let post = try server.request("POST", "/chat/\(room)/message?access_token=\(token)", json: #"{"userId":"\#(alice)","message":"hi"}"#)
        #expect(post.status == 401)
    }

    @Test func ambiguousCredentialsAre400NeverFirstOneWins() throws {
        let server = try TestServer()
        let (room, alice) = try server.makeMember("alice")
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        let (aliceToken, bobToken) = (try #require(TestTokens.token(of: alice)), try #require(TestTokens.token(of: bob)))
        let twice = try server.request("GET", "/events/\(room)?userId=\(alice)&access_token=\(aliceToken)&access_token=\(bobToken)")
        #expect(twice.status == 400)
        #expect(twice.text.contains("query.access_token"))
        // RFC 6750 §3.1: a token in the header and one in the query, even the same user's.
        for query in [bobToken, aliceToken] {
            let both = try server.request(
                "GET", "/events/\(room)?userId=\(alice)&access_token=\(query)", authorization: "Bearer \(aliceToken)")
            #expect(both.status == 400)
        }
        // Two media types for one body: 400 from the transport, nothing posted.
        let connection = try TestConnection(port: server.port)
        let body = #"{"userId":"\#(alice)","message":"hi"}"#
        try connection.send("POST /chat/\(room)/message HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(aliceToken)\r\n"
            + "Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let response = try connection.readResponse()
        #expect(response.status == 400)
        #expect(response.text.contains("Content-Type"))
        #expect((try server.request("GET", "/chat/\(room)/messages").json() as? [Any])?.isEmpty == true)
    }

    @Test(arguments: StoreKind.all) func anOpenServerTrustsTheUserIdAsBefore(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.authentication = .none }
        let created = try server.request("POST", "/chat/user", json: #"{"name":"alice"}"#).object()
        #expect(created["token"] is String, "tokens are still issued, so clients work in both modes")
        let alice = try #require(created["id"] as? String)
        let room = try server.makeLobby()
        #expect(try server.request("POST", "/chat/\(room)/join", json: #"{"userId":"\#(alice)"}"#).status == 200)
        #expect(try server.request("POST", "/chat/\(room)/message", json: #"{"userId":"\#(alice)","message":"hi"}"#).status == 201)
        let ghost = UUID().uuidString.lowercased()
        #expect(try server.request("POST", "/chat/\(room)/join", json: #"{"userId":"\#(ghost)"}"#).status == 404)
    }

    @Test func aTokenIsGoodOnEveryInstanceAndAfterARestart() throws {
        guard StoreKind.databaseURL != nil else { return }
        let schema = StoreKind.newSchema()
        let alice: String
        let room: String
        do {
            let first = try TestServer(store: .postgres, schema: schema)
            (room, alice) = try first.makeMember()
        }
        let second = try TestServer(store: .postgres, schema: schema)
        #expect(try second.post(room, alice, "after a restart").status == 201)
        let forged = "Bearer \(alice).\(String(repeating: "B", count: 43))"
        #expect(try second.request("POST", "/chat/\(room)/leave", json: #"{"userId":"\#(alice)"}"#, authorization: forged).status == 401)
    }

    /// The token is checked once per request: what the address limits found travels with the
    /// task, and `authorize` takes it instead of asking the store again (this store knows no user).
    @Test func aTokenCheckedEarlierInTheRequestIsNotCheckedAgain() async throws {
        let authenticator = Authenticator(mode: .token, store: MemoryChatStore())
        let userId = "00000000-0000-4000-8000-000000000001"
        let token = "\(userId).not-checked-against-the-store"
        await #expect(throws: ChatError.self) { try await authenticator.authorize(token, actingAs: userId) }
        try await Authenticator.$checked.withValue(.init(token: token, owner: userId)) {
            try await authenticator.authorize(token, actingAs: userId)
            // Handed on for that token only, and still to its owner only.
            await #expect(throws: ChatError.self) { try await authenticator.authorize(token, actingAs: "00000000-0000-4000-8000-000000000002") }
            await #expect(throws: ChatError.self) { try await authenticator.authorize(token + "x", actingAs: userId) }
        }
    }

    @Test func sha256MatchesTheStandardsVectorsAndBase64URLHasNoPadding() {
        func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
        #expect(hex(SHA256.digest([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(SHA256.digest(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(SHA256.digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(SHA256.digest([UInt8](repeating: UInt8(ascii: "a"), count: 1_000)))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Hex.decode("00ff10") == [0, 255, 16])
        #expect(Hex.decode("0") == nil)
        #expect(UserToken.digestsMatch([1, 2, 3], [1, 2, 3]))
        #expect(!UserToken.digestsMatch([1, 2, 3], [1, 2, 4]))
        #expect(!UserToken.digestsMatch([1, 2], [1, 2, 3]))
    }

    @Test func theRequestLogLeavesTheAccessTokenOut() {
        let request = HTTPRequest(method: "GET", target: "/events/general?userId=u&access_token=secret-part&lastEventId=3")
        #expect(RequestLogger.redacted(request) == "/events/general?userId=u&access_token=…&lastEventId=3")
    }
}
