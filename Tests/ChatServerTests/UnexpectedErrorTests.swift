import APIRuntime
import ChatAPI
import HTTPServer
import Synchronization
import Testing
@testable import ChatServer

/// Operations that fail the way a buggy handler would, behind the generated router and our
/// transport, over a real socket: each failure is a `500 internal-error` that says nothing but
/// a request id, it is reported with method, path and id, and the connection serves on.
@Suite struct UnexpectedErrorTests {
    /// Not a problem: nothing a client should learn about.
    struct DiskOnFire: Error {
        let secret = "/var/lib/chat is full"
    }

    /// Makes chosen operations fail the way a buggy handler would, through the router's
    /// middleware hook: `ping` throws a non-problem, `listUsers` a problem whose status (409) it
    /// does not document. Every other operation reaches `ChatHandler`, whatever the spec adds.
    struct FailureInjection: ServerMiddleware {
        func intercept(
            _ request: HTTPRequest, operationID: String?, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
        ) async throws -> HTTPResponse {
            switch operationID {
            case OperationID.ping.rawValue: throw DiskOnFire()
            case OperationID.listUsers.rawValue: throw ChatError.roomTaken("general")
            default: return try await next(request)
            }
        }
    }

    @Test func failuresAre500sWithARequestIdReportedAndTheConnectionServesOn() throws {
        let reports = Mutex<[UnexpectedError]>([])
        let problems = ProblemEncoder(typeBase: "https://chat.example/problems/")
        let options = RouterOptions(problems: problems) { report in reports.withLock { $0.append(report) } }
        let chat = ChatHandler.open(MemoryChatStore())
        let router = APIRouter(handler: chat, options: options, middlewares: [FailureInjection()])
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
