import APIRuntime
import ChatAPI
import Foundation
import HTTPServer
import Testing
@testable import ChatServer

/// Every `ChatError` through a real route that raises it: the status its operation documents,
/// and the problem's `type` under the configured base.
@Suite struct ChatErrorTests {
    /// One value of each case; `raise` must handle every one.
    static let everyCase: [ChatError] = [
        .userNotFound(""), .lobbyNotFound(""), .roomTaken(""), .notAMember(userId: "", room: ""),
        .blankName, .messageTooLong(limit: 5), .nulInMessage, .missingIdentity, .conflictingIdentity(query: "", header: ""), .storeUnavailable, .storeFailed(""),
        .missingToken, .invalidToken, .wrongUser(tokenUser: "", claimed: ""),
        .rateLimited(policy: RateLimitConfiguration().posts, retryAfter: 1), .atCapacity(what: "", limit: 0), .tooManyStreams(limit: 0), .lobbyBusy(""),
        .invalidEdit(reason: ""), .messageNotFound(id: "", room: ""), .notTheAuthor(messageId: "", userId: ""), .messageDeleted(""),
        .tooManyLobbies(userId: "", limit: 0),
    ]

    /// Raises `sample`'s case through a route of `server` (whose messages are at most 5
    /// characters): the answer, the error the server must have raised, and the operation's output.
    static func raise(
        _ sample: ChatError, on server: TestServer
    ) throws -> (response: TestResponse, error: ChatError, output: any OperationOutput.Type)? {
        switch sample {
        case .userNotFound:
            // Only an open server (`--auth none`) gets that far with an unknown user: a token
            // names its user, and another id than the token's is `wrongUser`.
            let open = try TestServer(store: server.storeKind) { $0.authentication = .none }
            let room = try open.makeLobby()
            let ghost = UUID().uuidString.lowercased()
            return (try open.join(room, ghost), .userNotFound(ghost), Operations.JoinLobby.Output.self)
        case .rateLimited:
            let limited = try TestServer(store: server.storeKind) { $0.rateLimits.posts = RateLimitPolicy(name: "posts", perSecond: 0.01, burst: 2) }
            let (room, alice) = try limited.makeMember()
            for _ in 0..<2 { _ = try limited.post(room, alice, "hi") }
            return (try limited.post(room, alice, "hi"), .rateLimited(policy: limited.application.configuration.rateLimits.posts, retryAfter: 100), Operations.PostMessage.Output.self)
        case .atCapacity:
            let full = try TestServer(store: .memory) { $0.chat.maxLobbies = 1 }
            _ = try full.makeLobby()
            return (try full.request("POST", "/chat", json: "{}"), .atCapacity(what: "lobbies", limit: 1), Operations.CreateLobby.Output.self)
        case .tooManyStreams:
            let limited = try TestServer(store: server.storeKind) { $0.chat.maxStreamsPerUser = 1 }
            let (room, alice) = try limited.makeMember()
            let first = try limited.openStream(room, userId: alice)
            defer { first.close() }
            _ = try limited.post(room, alice, "so the first stream is surely open")
            _ = try first.next(1)
            let response = try limited.request("GET", "/events/\(room)?userId=\(alice)", authorization: TestTokens.bearer(of: alice))
            return (response, .tooManyStreams(limit: 1), Operations.StreamEvents.Output.self)
        case .tooManyLobbies:
            let capped = try TestServer(store: server.storeKind) { $0.chat.maxLobbiesPerUser = 1 }
            let (_, alice) = try capped.makeMember()
            let other = try capped.makeLobby()
            return (try capped.join(other, alice), .tooManyLobbies(userId: alice, limit: 1), Operations.JoinLobby.Output.self)
        case .lobbyBusy:
            // A backlog needs streams slower than posts: `LargeLobbyTests` builds one.
            return nil
        case .missingToken:
            // The router answers a missing token itself, before any handler (its own problem,
            // `RouterResponses.unauthorized`, tested in APIRuntimeTests and by conformance); the
            // handler's case is a backstop that no route reaches.
            return nil
        case .invalidToken:
            let room = try server.makeLobby()
            let alice = try server.makeUser()
            let forged = "\(alice).\(String(repeating: "A", count: 43))"
            let response = try server.request("POST", "/chat/\(room)/join", json: #"{"userId":"\#(alice)"}"#, authorization: "Bearer \(forged)")
            return (response, .invalidToken, Operations.JoinLobby.Output.self)
        case .wrongUser:
            let room = try server.makeLobby()
            let alice = try server.makeUser()
            let bob = try server.makeUser("bob")
            let response = try server.request(
                "POST", "/chat/\(room)/join", json: #"{"userId":"\#(bob)"}"#, authorization: "Bearer \(TestTokens.token(of: alice) ?? "")")
            return (response, .wrongUser(tokenUser: alice, claimed: bob), Operations.JoinLobby.Output.self)
        case .lobbyNotFound:
            return (try server.request("GET", "/chat/nope"), .lobbyNotFound("nope"), Operations.GetLobby.Output.self)
        case .roomTaken:
            _ = try server.makeLobby("general")
            let again = try server.request("POST", "/chat", json: #"{"room":"general"}"#)
            return (again, .roomTaken("general"), Operations.CreateLobby.Output.self)
        case .notAMember:
            let room = try server.makeLobby()
            let outsider = try server.makeUser("mallory")
            return (try server.post(room, outsider, "hi"), .notAMember(userId: outsider, room: room), Operations.PostMessage.Output.self)
        case .blankName:
            // The spec's name pattern refuses a blank name before the handler runs (see
            // `aBlankNameIsRefusedByTheSpecAndByTheStore`); the store's own check is its backstop.
            return nil
        case .messageTooLong:
            let (room, alice) = try server.makeMember()
            return (try server.post(room, alice, "123456"), .messageTooLong(limit: 5), Operations.PostMessage.Output.self)
        case .nulInMessage:
            // The spec's message pattern refuses U+0000 before the handler runs (see
            // `aMessageHoldingNULIsRefusedByTheSpec`); the stores' own check is their backstop.
            return nil
        case .missingIdentity:
            let room = try server.makeLobby()
            let alice = try server.makeUser()
            let response = try server.request("GET", "/events/\(room)", authorization: TestTokens.bearer(of: alice))
            return (response, .missingIdentity, Operations.StreamEvents.Output.self)
        case .storeUnavailable, .storeFailed:
            // Only the PostgreSQL store raises them, with its engine down or refusing a statement:
            // `PostgresFaultTests` and `aThrownServiceUnavailableIsA503WithRetryAfterOnAnyOperation`.
            return nil
        case .invalidEdit:
            let (room, alice) = try server.makeMember()
            let id = try server.postedId(room, alice, "hi")
            // Past the configured length (5 here); a blank edit is refused by the spec's pattern
            // (see `aBlankEditIsRefusedByTheSpecAndByTheStore`).
            return (try server.edit(room, id, alice, "123456"), .invalidEdit(reason: "must be at most 5 characters"), Operations.EditMessage.Output.self)
        case .messageNotFound:
            let (room, alice) = try server.makeMember()
            let ghost = UUID().uuidString.lowercased()
            return (try server.edit(room, ghost, alice, "hi"), .messageNotFound(id: ghost, room: room), Operations.EditMessage.Output.self)
        case .notTheAuthor:
            let (room, alice) = try server.makeMember()
            let bob = try server.makeUser("bob")
            _ = try server.join(room, bob)
            let id = try server.postedId(room, alice, "hi")
            return (try server.deleteMessage(room, id, bob), .notTheAuthor(messageId: id, userId: bob), Operations.DeleteMessage.Output.self)
        case .messageDeleted:
            let (room, alice) = try server.makeMember()
            let id = try server.postedId(room, alice, "hi")
            _ = try server.deleteMessage(room, id, alice)
            return (try server.edit(room, id, alice, "back"), .messageDeleted(id), Operations.EditMessage.Output.self)
        case .conflictingIdentity:
            let room = try server.makeLobby()
            let alice = try server.makeUser()
            let other = UUID().uuidString.lowercased()
            let response = try server.request(
                "GET", "/events/\(room)?userId=\(alice)", headers: ["X-User-Id": other], authorization: TestTokens.bearer(of: alice))
            return (response, .conflictingIdentity(query: alice, header: other), Operations.StreamEvents.Output.self)
        }
    }

    @Test(arguments: everyCase, StoreKind.all)
    func eachCaseIsAnsweredWithItsDocumentedStatusAndType(sample: ChatError, store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.chat.maxMessageLength = 5 }
        guard let (response, error, output) = try Self.raise(sample, on: server) else { return }
        #expect(response.status == error.problem.status.code)
        // 503 is documented once for every path, by the spec's conventions.
        #expect(output.documentedStatuses.contains(response.status) || response.status == 503)
        #expect(response.header("Content-Type") == "application/problem+json")
        let problem = try response.object()
        #expect(problem["type"] as? String == "https://chat.example/problems/" + error.problem.kind.rawValue)
        #expect(problem["status"] as? Int == response.status)
        #expect(problem["detail"] as? String == error.problem.detail)
        let errors = (problem["errors"] as? [[String: String]])?.map { ProblemDetails.FieldError(field: $0["field"] ?? "", reason: $0["reason"] ?? "") }
        #expect(errors == error.problem.errors)
    }

    @Test func aBlankNameIsRefusedByTheSpecAndByTheStore() throws {
        let server = try TestServer()
        let response = try server.request("POST", "/chat/user", json: #"{"name":" \t "}"#)
        #expect(response.status == 400)
        let problem = try response.object()
        #expect(problem["type"] as? String == "https://chat.example/problems/validation")
        #expect((problem["errors"] as? [[String: String]])?.map { $0["field"] } == ["body.name"])
        #expect(throws: ChatError.blankName) { try MemoryChatStore().createUser(name: " \t ") }
        #expect(Operations.CreateUser.Output(problem: ChatError.blankName.problem) != nil)
    }

    @Test(arguments: StoreKind.all)
    func aMessageHoldingNULIsRefusedByTheSpec(store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let response = try server.post(room, alice, "a\u{0}b")
        #expect(response.status == 400)
        let problem = try response.object()
        #expect(problem["type"] as? String == "https://chat.example/problems/validation")
        #expect((problem["errors"] as? [[String: String]])?.map { $0["field"] } == ["body.message"])
        #expect(Operations.PostMessage.Output(problem: ChatError.nulInMessage.problem) != nil)
    }

    @Test func everyChatErrorStatusIsDocumentedBySomeOperation() {
        // 500 and 503 are documented once for every path, by the spec's conventions.
        #expect(APISpec.yaml.contains("answered 503 (`service-unavailable` problem)"))
        #expect(APISpec.yaml.contains("answered 500 (`internal-error` problem)"))
        let documented = Set(Operations.outputTypes.flatMap { $0.documentedStatuses }).union([500, 503])
        let undocumented = Self.everyCase.filter { !documented.contains($0.status.code) }
        #expect(undocumented.isEmpty, "no operation documents the status of \(undocumented)")
    }

    @Test func theChatKindsAreTheSpecs() {
        #expect(ChatError.roomTaken("a").problem.kind.rawValue == "room-taken")
        #expect(ChatError.notAMember(userId: "u", room: "a").problem.kind.rawValue == "not-a-member")
        #expect(APISpec.yaml.contains("`room-taken` (409)") && APISpec.yaml.contains("`not-a-member` (403)"))
    }

    @Test func theTransportsOwnProblemsShareTheConfiguredBase() throws {
        let server = try TestServer {
            $0.http.limits.maxBodyBytes = 16
            $0.problemTypeBase = "https://elsewhere.example/p/"
        }
        let tooLarge = try server.request("POST", "/chat/user", json: #"{"name":"a name longer than sixteen"}"#)
        #expect(tooLarge.status == 413)
        #expect(try tooLarge.object()["type"] as? String == "https://elsewhere.example/p/content-too-large")
        let notFound = try server.request("GET", "/chat/nope")
        #expect(try notFound.object()["type"] as? String == "https://elsewhere.example/p/not-found")
    }
}
