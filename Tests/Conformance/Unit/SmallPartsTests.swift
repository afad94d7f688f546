@testable import ConformanceKit
import RouteGenCore
import Testing

/// Setup lines, variables, base URLs, request encoding and operation lookup.
@Suite struct SmallPartsTests {
    @Test(arguments: [
        ("user alice", SetupAction.createUser("alice")),
        ("lobby general", .createLobby("general")),
        ("code nope", .freshCode("nope")),
        ("alice joins general", .join(user: "alice", lobby: "general")),
        ("bob leaves general", .leave(user: "bob", lobby: "general")),
        ("alice posts \"how are you?\" in general", .post(user: "alice", lobby: "general", content: "how are you?")),
        ("alice posts 1001 messages in general", .postMany(user: "alice", lobby: "general", count: 1001)),
        ("101 users join general", .crowdJoins(count: 101, lobby: "general")),
    ])
    func setupLinesRead(line: String, action: SetupAction) {
        #expect(SetupAction(line) == action)
        #expect(action.description == line)
    }

    @Test(arguments: ["", "user", "alice dances", "alice posts hi in general", "alice posts 0 messages in general", "alice joins", "0 users join general", "many users join general"])
    func otherLinesDoNot(line: String) {
        #expect(SetupAction(line) == nil)
    }

    @Test func variablesKeepTypesWholeAndInterpolateInText() throws {
        let variables = Variables(["seq": .integer(3), "room": .string("g-1")])
        #expect(try variables.resolve(JSON.string("${seq}")) == .integer(3))
        #expect(try variables.resolve("/chat/${room}/messages?after=${seq}") == "/chat/g-1/messages?after=3")
        #expect(try variables.resolve(JSON.object([(key: "id", value: .string("${room}"))])) == .object([(key: "id", value: .string("g-1"))]))
        #expect(throws: Variables.Unbound.self) { try variables.resolve("${nope}") }
    }

    @Test func onlyLoopbackBaseURLsAreAccepted() {
        #expect(BaseURL("http://127.0.0.1:3000")?.authority == "127.0.0.1:3000")
        #expect(BaseURL("http://[::1]:8080/")?.authority == "[::1]:8080")
        #expect(BaseURL("http://localhost:1")?.host == "127.0.0.1")
        #expect(BaseURL("http://10.0.0.1:3000") == nil)
        #expect(BaseURL("https://127.0.0.1:3000") == nil)
        #expect(BaseURL("http://127.0.0.1") == nil)
    }

    @Test func requestsSerialiseWithTheirFraming() {
        let request = ClientRequest.json("POST", "/chat/user", #"{"name":"é"}"#)
        let text = String(decoding: request.serialized(for: BaseURL("http://127.0.0.1:9")!), as: UTF8.self)
        #expect(text == "POST /chat/user HTTP/1.1\r\nHost: 127.0.0.1:9\r\nContent-Type: application/json\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"name\":\"é\"}")
        #expect(ClientRequest.encodePathSegment("no!such room") == "no!such%20room")
        #expect(ClientRequest.encodeQueryComponent("a&b=c") == "a%26b%3Dc")
    }

    @Test func requestsFindTheirOperationPreferringLiteralSegments() throws {
        let operations = try ConformanceSpec.shared.get().operations
        #expect(operations.operation(method: "POST", target: "/chat/user")?.id == "createUser")
        #expect(operations.operation(method: "GET", target: "/chat/user") == nil)  // the literal path wins: a 405
        #expect(operations.operation(method: "HEAD", target: "/chat/users?x=1")?.id == "listUsers")
        #expect(operations.operation(method: "DELETE", target: "/chat/user") == nil)
        #expect(operations.operation(method: "GET", target: "/events/g")?.id == "streamEvents")
    }
}
