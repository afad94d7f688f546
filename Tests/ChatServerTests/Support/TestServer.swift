import Foundation
import HTTPServer
import Synchronization
@testable import ChatServer

/// A chat server on a free loopback port for one test, with a client for it.
final class TestServer: Sendable {
    let application: ChatApplication
    let port: Int
    let storeKind: StoreKind

    /// Starts a server over `store` (PostgreSQL: in `schema`, else a new one); `configure`
    /// adjusts the configuration (short limits, small history).
    init(
        store: StoreKind = .memory, schema: String? = nil, _ configure: (inout ChatServerConfiguration) -> Void = { _ in }
    ) throws {
        try store.skipUnlessAvailable()
        storeKind = store
        var configuration = ChatServerConfiguration()
        configuration.http.port = 0
        configuration.shutdownDeadline = .seconds(2)
        // Tests post, sign up and open streams far faster and more than people do; the tests of
        // those limits set them.
        configuration.rateLimits = .off
        configuration.chat.maxStreamsPerUser = 10_000
        store.configure(&configuration, schema: schema)
        configure(&configuration)
        application = try ChatApplication(configuration: configuration)
        port = try application.start().port
    }

    /// Two instances on PostgreSQL sharing a new schema (skipped without a test database), each
    /// configured by `configure`; and the schema, for tests that read its tables.
    static func postgresPair(
        _ configure: (inout ChatServerConfiguration) -> Void = { _ in }
    ) throws -> (first: TestServer, second: TestServer, schema: String) {
        try StoreKind.postgres.skipUnlessAvailable()
        let schema = StoreKind.newSchema()
        return (try TestServer(store: .postgres, schema: schema, configure), try TestServer(store: .postgres, schema: schema, configure), schema)
    }

    deinit { application.shutdown() }

    var store: any ChatStore { application.store }
    /// The store, for tests of the memory store's own behaviour.
    var memoryStore: MemoryChatStore { application.store as! MemoryChatStore }
}

/// A chat server on loopback that tests talk to over real sockets: in-process (`TestServer`)
/// or a child process (`ServerProcess`).
protocol ChatServerClient {
    var port: Int { get }
    /// The loopback address requests come from (127.0.0.2, …: another client); nil for the default.
    var source: String? { get }
}

extension ChatServerClient {
    var source: String? { nil }
}

extension TestServer: ChatServerClient {}

extension ChatServerClient {
    /// Sends one request on a new connection and reads the answer, with `authorization` as
    /// its `Authorization` header when given.
    func request(
        _ method: String, _ target: String, json: String? = nil, headers: [String: String] = [:], authorization: String? = nil
    ) throws -> TestResponse {
        let connection = try TestConnection(port: port, source: source)
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let authorization { head += "Authorization: \(authorization)\r\n" }
        var body: [UInt8] = []
        if let json {
            body = Array(json.utf8)
            if headers["Content-Type"] == nil { head += "Content-Type: application/json\r\n" }
            head += "Content-Length: \(body.count)\r\n"
        }
        try connection.send(Array((head + "\r\n").utf8) + body)
        return try connection.readResponse(bodyExpected: method != "HEAD")
    }

    // MARK: Fixtures

    /// Creates a user; returns its id, and keeps its token in `TestTokens` for the fixtures
    /// below, which act as that user with it.
    func makeUser(_ name: String = "alice") throws -> String {
        let response = try request("POST", "/chat/user", json: #"{"name":"\#(name)"}"#)
        guard response.status == 201, let id = try response.object()["id"] as? String, let token = try response.object()["token"] as? String else {
            throw TestConnection.Failure(description: "createUser: \(response.status) \(response.text)")
        }
        TestTokens.keep(token, of: id)
        return id
    }

    /// Creates a lobby (with a code, or a generated one); returns its code.
    func makeLobby(_ room: String? = nil) throws -> String {
        let response = try request("POST", "/chat", json: room.map { #"{"room":"\#($0)"}"# } ?? "{}")
        guard response.status == 201, let code = try response.object()["room"] as? String else {
            throw TestConnection.Failure(description: "createLobby: \(response.status) \(response.text)")
        }
        return code
    }

    func join(_ room: String, _ userId: String) throws -> TestResponse {
        try request("POST", "/chat/\(room)/join", json: #"{"userId":"\#(userId)"}"#, authorization: TestTokens.bearer(of: userId))
    }

    func leave(_ room: String, _ userId: String) throws -> TestResponse {
        try request("POST", "/chat/\(room)/leave", json: #"{"userId":"\#(userId)"}"#, authorization: TestTokens.bearer(of: userId))
    }

    func post(_ room: String, _ userId: String, _ message: String) throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["userId": userId, "message": message])
        return try request("POST", "/chat/\(room)/message", json: String(decoding: body, as: UTF8.self), authorization: TestTokens.bearer(of: userId))
    }

    /// A user who is a member of a new lobby: (room, userId).
    func makeMember(_ name: String = "alice", room: String? = nil) throws -> (room: String, userId: String) {
        let userId = try makeUser(name)
        let code = try room ?? makeLobby()
        _ = try join(code, userId)
        return (code, userId)
    }

    /// Opens `GET /events/{room}` (with `presence=true` when `presence`) and reads its head.
    func openStream(
        _ room: String, userId: String, lastEventId: Int? = nil, receiveBuffer: Int? = nil, presence: Bool = false
    ) throws -> EventStreamReader {
        let connection = try TestConnection(port: port, source: source, receiveBuffer: receiveBuffer)
        let query = presence ? "&presence=true" : ""
        var head = "GET /events/\(room)?userId=\(userId)\(query) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        if let lastEventId { head += "Last-Event-ID: \(lastEventId)\r\n" }
        if let bearer = TestTokens.bearer(of: userId) { head += "Authorization: \(bearer)\r\n" }
        try connection.send(head + "\r\n")
        let response = try connection.readResponse(bodyExpected: false)
        return EventStreamReader(connection: connection, head: response)
    }
}

/// Reads Server-Sent Events from an open stream.
final class EventStreamReader {
    /// One event: its `id` and parsed `data`.
    struct Event {
        var id: String?
        var data: [String: Any]
        var type: String { data["type"] as? String ?? "" }
        var payload: [String: Any] { data["payload"] as? [String: Any] ?? [:] }
    }

    let connection: TestConnection
    let head: TestResponse
    /// Comment lines seen so far (without the leading colon).
    private(set) var comments: [String] = []
    /// `retry:` values seen so far.
    private(set) var retries: [Int] = []

    init(connection: TestConnection, head: TestResponse) {
        self.connection = connection
        self.head = head
    }

    /// The next event, or nil when the server ends the stream. Throws on timeout.
    func next() throws -> Event? {
        var id: String?
        var data: [String] = []
        while let line = try connection.readLine() {
            if line.isEmpty {
                guard !data.isEmpty else { continue }
                let json = try JSONSerialization.jsonObject(with: Data(data.joined(separator: "\n").utf8))
                return Event(id: id, data: json as? [String: Any] ?? [:])
            }
            if line.hasPrefix(":") {
                comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
            } else if line.hasPrefix("id:") {
                id = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("data:") {
                data.append(String(line.dropFirst(5).drop { $0 == " " }))
            } else if line.hasPrefix("retry:"), let value = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces)) {
                retries.append(value)
            }
        }
        return nil
    }

    /// The next `count` events; fails if the stream ends or stalls first.
    func next(_ count: Int) throws -> [Event] {
        var events: [Event] = []
        func failure(_ what: String) -> TestConnection.Failure {
            let got = events.map { "\($0.type) id \($0.id ?? "-") \($0.payload["room"] as? String ?? "")" }
            return TestConnection.Failure(description: "\(what) after \(events.count) of \(count) events: \(got)")
        }
        while events.count < count {
            do {
                guard let event = try next() else { throw failure("stream ended early") }
                events.append(event)
            } catch let error as TestConnection.Failure where events.count > 0 {
                throw failure(error.description)
            }
        }
        return events
    }

    func close() {
        shutdown(connection.descriptor, Int32(SHUT_RDWR))
    }
}

/// The token of every user the fixtures created, by id (ids are unique across servers), so a
/// fixture acting as a user sends its `Authorization: Bearer` like a real client.
enum TestTokens {
    private static let tokens = Mutex([String: String]())

    static func keep(_ token: String, of userId: String) {
        tokens.withLock { $0[userId] = token }
    }

    static func token(of userId: String) -> String? {
        tokens.withLock { $0[userId] }
    }

    /// `Bearer <token>` of `userId`, nil for a user no fixture made.
    static func bearer(of userId: String) -> String? {
        token(of: userId).map { "Bearer " + $0 }
    }
}
