import Foundation
import Testing
@testable import ChatServer

/// Every route's success and its documented errors, over real sockets.
@Suite struct RouteTests {
    @Test(arguments: StoreKind.all) func pingAnswersPongAsText(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let response = try server.request("GET", "/chat/ping")
        #expect(response.status == 200)
        #expect(response.text == "pong")
        #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(response.header("Access-Control-Allow-Origin") == "*")
    }

    @Test(arguments: StoreKind.all) func usersAreCreatedTrimmedAndListedInCreationOrder(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let created = try server.request("POST", "/chat/user", json: #"{"name":"  alice \t"}"#)
        #expect(created.status == 201)
        let alice = try created.object()
        #expect(alice["name"] as? String == "alice")
        let id = try #require(alice["id"] as? String)
        #expect(id == id.lowercased() && UUID(uuidString: id) != nil)
        _ = try server.makeUser("bob")
        let list = try #require(try server.request("GET", "/chat/users").json() as? [[String: Any]])
        #expect(list.map { $0["name"] as? String } == ["alice", "bob"])
    }

    @Test(arguments: [
        (#"{"name":""}"#, "body.name"),
        (#"{"name":"   "}"#, "body.name"),
        (#"{}"#, "body.name"),
        (#"{"name":5}"#, "body.name"),
        (#"{"name":"a","extra":true}"#, "body.extra"),
        (#"{"name":"a""#, "body"),
    ])
    func badUserBodiesAre400NamingTheField(body: String, field: String) throws {
        let server = try TestServer()
        let response = try server.request("POST", "/chat/user", json: body)
        #expect(response.status == 400)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try response.object()
        #expect(problem["type"] as? String == "https://chat.example/problems/validation")
        let errors = try #require(problem["errors"] as? [[String: String]])
        #expect(errors.contains { $0["field"] == field })
    }

    @Test(arguments: StoreKind.all) func tooLongNameIs400(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let response = try server.request("POST", "/chat/user", json: #"{"name":"\#(String(repeating: "x", count: 65))"}"#)
        #expect(response.status == 400)
    }

    @Test(arguments: StoreKind.all) func lobbiesWithGivenAndGeneratedCodes(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let named = try server.request("POST", "/chat", json: #"{"room":"general"}"#)
        #expect(named.status == 201)
        #expect(try named.object()["room"] as? String == "general")
        #expect((try named.object()["members"] as? [Any])?.isEmpty == true)
        for body in [nil, "{}"] as [String?] {
            let generated = try server.request("POST", "/chat", json: body)
            #expect(generated.status == 201)
            let code = try #require(try generated.object()["room"] as? String)
            #expect(code.range(of: "^[a-z0-9]{4,8}$", options: .regularExpression) != nil)
        }
        let taken = try server.request("POST", "/chat", json: #"{"room":"general"}"#)
        #expect(taken.status == 409)
        #expect(try taken.object()["detail"] as? String == "lobby 'general' already exists")
        #expect(try server.request("POST", "/chat", json: #"{"room":"no spaces"}"#).status == 400)
        let lobbies = try #require(try server.request("GET", "/chat").json() as? [[String: Any]])
        #expect(lobbies.count == 3)
        #expect(lobbies.first?["room"] as? String == "general")
    }

    @Test(arguments: StoreKind.all) func getLobbyAnd404s(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let lobby = try server.request("GET", "/chat/\(room)")
        #expect(lobby.status == 200)
        let members = try #require(try lobby.object()["members"] as? [[String: Any]])
        #expect(members.map { $0["id"] as? String } == [alice])
        let missing = try server.request("GET", "/chat/nope")
        #expect(missing.status == 404)
        #expect(try missing.object()["detail"] as? String == "lobby 'nope' does not exist")
        #expect(try server.request("GET", "/chat/bad%20code").status == 404)
    }

    @Test(arguments: StoreKind.all) func joinAndLeaveAreIdempotentAndCheckTheirIds(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let room = try server.makeLobby()
        let alice = try server.makeUser()
        #expect(try server.join(room, alice).status == 200)
        let again = try server.join(room, alice)
        #expect(again.status == 200)
        #expect((try again.object()["members"] as? [Any])?.count == 1)
        #expect(try server.leave(room, alice).status == 200)
        let leftAgain = try server.leave(room, alice)
        #expect(leftAgain.status == 200)
        #expect((try leftAgain.object()["members"] as? [Any])?.count == 0)
        // Alice's token names alice: another id is 403 before the store is asked about it.
        let ghost = UUID().uuidString.lowercased()
        let asAlice = TestTokens.bearer(of: alice)
        #expect(try server.request("POST", "/chat/\(room)/join", json: #"{"userId":"\#(ghost)"}"#, authorization: asAlice).status == 403)
        #expect(try server.join("nope", alice).status == 404)
        #expect(try server.request("POST", "/chat/\(room)/join", json: #"{"userId":"not-a-uuid"}"#, authorization: asAlice).status == 400)
        // Two join events and two leave events would show in the sequence: only one of each
        // happened (seq 1 and 2), so joining again is seq 3 and a post seq 4.
        _ = try server.join(room, alice)
        #expect(try server.post(room, alice, "x").object()["seq"] as? Int == 4)
    }

    @Test(arguments: StoreKind.all) func messagesArePostedByMembersOnly(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let posted = try server.post(room, alice, "  hi <b>there</b> ✓  ")
        #expect(posted.status == 201)
        let message = try posted.object()
        #expect(message["content"] as? String == "  hi <b>there</b> ✓  ")
        #expect(message["seq"] as? Int == 2)
        #expect(message["name"] as? String == "alice")
        #expect((message["sentAt"] as? String)?.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
        let outsider = try server.makeUser("mallory")
        let forbidden = try server.post(room, outsider, "hi")
        #expect(forbidden.status == 403)
        #expect(try forbidden.object()["type"] as? String == "https://chat.example/problems/not-a-member")
        #expect(try server.post(room, alice, "").status == 400)
        #expect(try server.post(room, alice, String(repeating: "é", count: 4001)).status == 400)
        #expect(try server.post(room, alice, String(repeating: "é", count: 4000)).status == 201)
        #expect(try server.post("nope", alice, "hi").status == 404)
    }

    @Test(arguments: StoreKind.all) func messageLengthLimitIsConfigurable(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.maxMessageLength = 5 }
        let (room, alice) = try server.makeMember()
        #expect(try server.post(room, alice, "12345").status == 201)
        let tooLong = try server.post(room, alice, "123456")
        #expect(tooLong.status == 400)
        #expect(try tooLong.object()["errors"] as? [[String: String]] == [["field": "body.message", "reason": "must be at most 5 characters"]])
    }

    @Test(arguments: StoreKind.all) func historyHonoursLimitAndAfter(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        for index in 1...5 { _ = try server.post(room, alice, "m\(index)") }  // seqs 2...6
        func contents(_ query: String) throws -> [String] {
            let response = try server.request("GET", "/chat/\(room)/messages\(query)")
            #expect(response.status == 200)
            return (try response.json() as? [[String: Any]] ?? []).compactMap { $0["content"] as? String }
        }
        #expect(try contents("") == ["m1", "m2", "m3", "m4", "m5"])
        #expect(try contents("?limit=2") == ["m4", "m5"])
        #expect(try contents("?after=3&limit=2") == ["m3", "m4"])
        #expect(try contents("?after=6") == [])
        for bad in ["?limit=0", "?limit=1001", "?limit=x", "?after=-1"] {
            #expect(try server.request("GET", "/chat/\(room)/messages\(bad)").status == 400)
        }
        #expect(try server.request("GET", "/chat/nope/messages").status == 404)
    }

    @Test(arguments: StoreKind.all) func routingErrorsCORSAndHEAD(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let unknown = try server.request("GET", "/nowhere")
        #expect(unknown.status == 404)
        #expect(unknown.header("Content-Type") == "application/problem+json")
        let wrongMethod = try server.request("DELETE", "/chat")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "POST, GET, HEAD, OPTIONS")
        let preflight = try server.request("OPTIONS", "/chat/general/message", headers: [
            "Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
        ])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Methods") == "POST, OPTIONS")
        #expect(preflight.header("Access-Control-Allow-Headers") == "Content-Type, X-User-Id, Last-Event-ID, Authorization")
        #expect(preflight.header("Access-Control-Allow-Origin") == "*")
        let head = try server.request("HEAD", "/chat/ping")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "4")
        #expect(try server.request("GET", "/chat/users").status == 200)  // a static segment beats {room}
    }

    @Test(arguments: StoreKind.all) func corsOriginsAreAListOfExactMatches(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.corsOrigins = ["https://chat.example", "http://localhost:5173"] }
        for origin in ["https://chat.example", "http://localhost:5173"] {
            let allowed = try server.request("GET", "/chat/ping", headers: ["Origin": origin])
            #expect(allowed.header("Access-Control-Allow-Origin") == origin)
            #expect(allowed.header("Vary") == "Origin")
        }
        for origin in ["https://evil.example", "https://chat.example.evil", "HTTPS://CHAT.EXAMPLE"] {
            let refused = try server.request("GET", "/chat/ping", headers: ["Origin": origin])
            #expect(refused.header("Access-Control-Allow-Origin") == nil, "\(origin)")
            #expect(refused.header("Vary") == "Origin")
        }
        let preflight = try server.request("OPTIONS", "/chat/general/message", headers: ["Origin": "https://chat.example", "Access-Control-Request-Method": "POST"])
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://chat.example")
        let none = try TestServer(store: store) { $0.corsOrigins = [] }
        #expect(try none.request("GET", "/chat/ping").header("Access-Control-Allow-Origin") == nil)
    }

    @Test(arguments: StoreKind.all) func bodyMediaTypeAndSize(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.http.limits.maxBodyBytes = 1024 }
        let wrongType = try server.request("POST", "/chat/user", json: #"{"name":"a"}"#, headers: ["Content-Type": "text/plain"])
        #expect(wrongType.status == 415)
        let tooLarge = try server.request("POST", "/chat/user", json: #"{"name":"\#(String(repeating: "a", count: 2000))"}"#)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.header("Access-Control-Allow-Origin") == "*")  // answered by the transport, CORS all the same
        #expect(try server.request("GET", "/chat/ping").status == 200)
    }

    @Test(arguments: StoreKind.all) func theChatPageIsServedAtTheRoot(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let response = try server.request("GET", "/")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        #expect(response.text.hasPrefix("<!doctype html>"))
        #expect(response.text.contains("new EventSource("))
        #expect(!response.text.contains("innerHTML"))  // user text is only ever set as text
    }

    @Test(arguments: StoreKind.all) func theSpecIsServedAsBuilt(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let response = try server.request("GET", "/openapi.yaml")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/yaml; charset=utf-8")
        let onDisk = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("api.yaml"), encoding: .utf8)
        #expect(response.text.hasPrefix("openapi: 3.2"))
        #expect(response.text.count > 1000 && onDisk.hasPrefix(String(response.text.prefix(1000))))
    }
}
