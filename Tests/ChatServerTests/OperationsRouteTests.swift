import APIRuntime
import ChatAPI
import Foundation
import HTTPServer
import Testing
@testable import ChatServer

/// `/healthz`, `/readyz` and `/metrics`, over real sockets, on both stores.
@Suite struct OperationsRouteTests {
    @Test(arguments: StoreKind.all) func healthAndReadinessAnswerAsText(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let health = try server.request("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.text == "ok")
        #expect(health.header("Content-Type") == "text/plain; charset=utf-8")
        let ready = try server.request("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready.text == "ready")
        #expect(try server.request("HEAD", "/readyz").status == 200)
    }

    @Test(arguments: StoreKind.all) func metricsCountRequestsStreamsEventsAndBytes(_ store: StoreKind) throws {
        let server = try TestServer(store: store)
        let (room, alice) = try server.makeMember()
        let stream = try server.openStream(room, userId: alice)
        defer { stream.close() }
        #expect(try server.post(room, alice, "hi").status == 201)
        #expect(try stream.next()?.type == "message")
        _ = try server.request("GET", "/no/such/path")

        let response = try server.request("GET", "/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4")
        let samples = Self.samples(response.text)
        #expect(samples[#"chat_http_requests_total{operation="postMessage",status="201"}"#] == 1)
        #expect(samples[#"chat_http_requests_total{operation="joinLobby",status="200"}"#] == 1)
        #expect(samples[#"chat_http_requests_total{operation="none",status="404"}"#] == 1)
        #expect(samples[#"chat_http_request_duration_seconds_count{operation="postMessage",status="201"}"#] == 1)
        #expect(samples["chat_streams_open"] == 1)
        #expect(samples[#"chat_lobbies_by_streams{le="1"}"#] == 1)
        #expect(samples[#"chat_lobbies_by_streams{le="+Inf"}"#] == 1)
        #expect((samples["chat_http_connections_open"] ?? 0) >= 2)  // the stream and this scrape
        #expect((samples["chat_http_written_bytes_total"] ?? 0) > 0)
        #expect((samples["chat_events_delivered_total"] ?? 0) >= 1)  // process-wide: other tests deliver too
        // Only a store with a database engine has these.
        #expect(samples["chat_postgres_connected"] == (store == .postgres ? 1 : nil))
        #expect(samples["chat_postgres_reconnects_total"] == (store == .postgres ? 0 : nil))
        #expect(samples["chat_http_connections_shed_total"] == 0)
        #expect(samples["chat_http_client_limit_refusals_total"] == 0)
    }

    @Test func withoutMetricsTheRouteIsAnUnknownPath() throws {
        let server = try TestServer { $0.metricsEnabled = false }
        let response = try server.request("GET", "/metrics")
        #expect(response.status == 404)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect(try response.object()["type"] as? String == "https://chat.example/problems/not-found")
        #expect(try server.request("GET", "/readyz").status == 200)
    }

    @Test func theLobbySizeTallyFollowsStreamsWithoutVisitingLobbies() throws {
        let store = MemoryChatStore()
        for index in 0..<2000 { _ = try store.createLobby(room: "l\(index)") }
        #expect(store.lobbiesByStreams() == Array(repeating: 0, count: LobbySizeTally.bounds.count + 1))
        let tally = LobbySizeTally()
        var sizes = [Int](repeating: 0, count: 50)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let lobby = Int.random(in: 0..<50, using: &generator)
            let new = max(0, sizes[lobby] + Int.random(in: -3...12, using: &generator))
            tally.changed(from: sizes[lobby], to: new)
            sizes[lobby] = new
        }
        #expect(tally.cumulative() == LobbySizeTally.cumulative(of: sizes))
        let expected = LobbySizeTally.bounds.map { bound in sizes.count { $0 > 0 && $0 <= bound } } + [sizes.count { $0 > 0 }]
        #expect(tally.cumulative() == expected)
    }

    /// A store that is not ready: what `/readyz` says then.
    struct UnreadyStore: StoreObservation {
        var isReady: Bool { false }
        func lobbiesByStreams() -> [Int] { [] }
        var engine: EngineStatus? { EngineStatus(isConnected: false, reconnects: 3) }
    }

    @Test func readinessIs503WithRetryAfterWhileTheStoreIsNotReady() throws {
        let problems = ProblemEncoder(typeBase: "https://chat.example/problems/")
        let probe = ServerProbe(store: UnreadyStore(), metrics: ChatMetrics())
        let router = APIRouter(handler: ChatHandler.open(MemoryChatStore(), probe: probe), options: RouterOptions(problems: problems))
        let server = HTTPServer(configuration: HTTPServerConfiguration(problems: problems), responder: router)
        let port = try server.start().port
        probe.attach(server)
        defer { server.shutdown(deadline: .seconds(2)) }
        let connection = try TestConnection(port: port)
        try connection.send("GET /readyz HTTP/1.1\r\nHost: h\r\n\r\n")
        let ready = try connection.readResponse()
        #expect(ready.status == 503)
        #expect(ready.header("Retry-After") == "1")
        #expect(try ready.object()["type"] as? String == "https://chat.example/problems/service-unavailable")
        try connection.send("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(try connection.readResponse().status == 200)
        try connection.send("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n")
        let samples = Self.samples(try connection.readResponse().text)
        #expect(samples["chat_postgres_connected"] == 0)
        #expect(samples["chat_postgres_reconnects_total"] == 3)
    }

    /// Answers every request itself with the operation the router named, never calling it.
    struct OperationEcho: ServerMiddleware {
        func intercept(
            _ request: HTTPRequest, operationID: String?, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
        ) async throws -> HTTPResponse {
            var response = HTTPResponse(status: .noContent)
            response.headers.set("X-Operation", operationID ?? MeteredOperations.unmatched)
            return response
        }
    }

    @Test func theRouterNamesTheOperationItMatchedToItsMiddlewares() async {
        let router = APIRouter(handler: ChatHandler.open(MemoryChatStore()), middlewares: [OperationEcho()])
        func label(_ method: String, _ target: String) async -> String? {
            await router.respond(to: HTTPRequest(method: method, target: target, version: .http1_1, headers: [:], body: [])).headers["X-Operation"]
        }
        #expect(await label("GET", "/chat/ping") == "ping")
        #expect(await label("HEAD", "/chat/ping") == "ping")
        #expect(await label("POST", "/chat/general/message") == "postMessage")
        #expect(await label("GET", "/events/general?userId=x") == "streamEvents")
        #expect(await label("GET", "/metrics") == "getMetrics")
        #expect(await label("GET", "/chat/users") == "listUsers")  // the literal segment wins over {room}
        #expect(await label("GET", "/chat/general") == "getLobby")
        #expect(await label("GET", "/") == "getChatPage")
        #expect(await label("GET", "/chat/general/") == "none")
        #expect(await label("GET", "/chat//join") == "none")
        #expect(await label("POST", "/chat/users") == "none")
        #expect(await label("DELETE", "/chat/ping") == "none")
        #expect(await label("OPTIONS", "/chat/ping") == "none")
        #expect(await label("GET", "/nope") == "none")
    }

    /// `name{labels} value` lines of a scrape, by `name{labels}`.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }
}
