import APIRuntime
import ChatAPI
import HTTPServer
import Synchronization
import Testing
@testable import ChatServer

/// A handler that fails the way a buggy one would, behind the generated router and our
/// transport, over a real socket: each failure is a `500 internal-error` that says nothing but
/// a request id, it is reported with method, path and id, and the connection serves on.
@Suite struct UnexpectedErrorTests {
    /// Not a problem: nothing a client should learn about.
    struct DiskOnFire: Error {
        let secret = "/var/lib/chat is full"
    }

    /// `ChatHandler`, except that `ping` throws a non-problem and `listUsers` throws a problem
    /// whose status (409) `listUsers` does not document.
    struct FailingHandler: APIHandler {
        let chat: ChatHandler

        func ping(_ input: Operations.Ping.Input) async throws -> Operations.Ping.Output { throw DiskOnFire() }
        func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
            throw ChatError.roomTaken("general")
        }
        func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output { try await chat.createUser(input) }
        func createLobby(_ input: Operations.CreateLobby.Input) async throws -> Operations.CreateLobby.Output { try await chat.createLobby(input) }
        func listLobbies(_ input: Operations.ListLobbies.Input) async throws -> Operations.ListLobbies.Output { try await chat.listLobbies(input) }
        func listMembers(_ input: Operations.ListMembers.Input) async throws -> Operations.ListMembers.Output { try await chat.listMembers(input) }
        func getLobby(_ input: Operations.GetLobby.Input) async throws -> Operations.GetLobby.Output { try await chat.getLobby(input) }
        func joinLobby(_ input: Operations.JoinLobby.Input) async throws -> Operations.JoinLobby.Output { try await chat.joinLobby(input) }
        func leaveLobby(_ input: Operations.LeaveLobby.Input) async throws -> Operations.LeaveLobby.Output { try await chat.leaveLobby(input) }
        func postMessage(_ input: Operations.PostMessage.Input) async throws -> Operations.PostMessage.Output { try await chat.postMessage(input) }
        func listMessages(_ input: Operations.ListMessages.Input) async throws -> Operations.ListMessages.Output { try await chat.listMessages(input) }
        func streamEvents(_ input: Operations.StreamEvents.Input) async throws -> Operations.StreamEvents.Output { try await chat.streamEvents(input) }
        func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
            try await chat.getOpenAPIDocument(input)
        }
        func getChatPage(_ input: Operations.GetChatPage.Input) async throws -> Operations.GetChatPage.Output { try await chat.getChatPage(input) }
        func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output { try await chat.getHealth(input) }
        func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output { try await chat.getReadiness(input) }
        func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output { try await chat.getMetrics(input) }
    }

    @Test func failuresAre500sWithARequestIdReportedAndTheConnectionServesOn() throws {
        let reports = Mutex<[UnexpectedError]>([])
        let problems = ProblemEncoder(typeBase: "https://chat.example/problems/")
        let options = RouterOptions(problems: problems) { report in reports.withLock { $0.append(report) } }
        let chat = ChatHandler.open(MemoryChatStore())
        let router = APIRouter(handler: FailingHandler(chat: chat), options: options)
        let server = HTTPServer(configuration: HTTPServerConfiguration(problems: problems), responder: router)
        let port = try server.start().port
        defer { server.shutdown(deadline: .seconds(2)) }

        let connection = try TestConnection(port: port)
        try connection.send("GET /chat/ping HTTP/1.1\r\nHost: h\r\nX-Request-Id: trace-42\r\n\r\n")
        let first = try connection.readResponse()
        try connection.send("GET /chat/users HTTP/1.1\r\nHost: h\r\n\r\n")
        let second = try connection.readResponse()
        try connection.send("GET /chat HTTP/1.1\r\nHost: h\r\n\r\n")
        let third = try connection.readResponse()

        for response in [first, second] {
            #expect(response.status == 500)
            #expect(response.header("Connection") != "close")
            let problem = try response.object()
            #expect(problem["type"] as? String == "https://chat.example/problems/internal-error")
            #expect(!response.text.contains("full") && !response.text.contains("general"))
            let id = try #require(response.header("X-Request-Id"))
            #expect((problem["detail"] as? String)?.contains(id) == true)
        }
        #expect(first.header("X-Request-Id") == "trace-42")
        #expect(third.status == 200)

        let logged = reports.withLock { $0 }
        #expect(logged.map(\.method) == ["GET", "GET"])
        #expect(logged.map(\.path) == ["/chat/ping", "/chat/users"])
        #expect(logged.map(\.requestId) == ["trace-42", second.header("X-Request-Id")])
        #expect(logged.map(\.operationId) == ["ping", "listUsers"])
        #expect("\(logged.last.map { "\($0)" } ?? "")".contains("409"))
    }
}
