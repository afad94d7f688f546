import APIRuntime
import ChatAPI
import Foundation
import Testing
@testable import ChatServer

/// What schemathesis found where the server and api.yaml disagreed, over real sockets with raw
/// request bytes.
@Suite struct SpecAgreementTests {
    /// `response`'s body, checked against the spec's `Problem` schema; the fields it names.
    static func problemFields(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        var validator = SchemaValidator()
        validator.check(try JSONReader.parse(response.body), against: Components.Schemas.Problem.schemaRule, at: "body")
        #expect(validator.errors.isEmpty, "\(validator.errors)", sourceLocation: sourceLocation)
        let errors = try #require(try response.object()["errors"] as? [[String: String]], sourceLocation: sourceLocation)
        return errors.compactMap { $0["field"] }
    }

    /// Sends `text` as is on a new connection and reads the answer.
    static func raw(_ server: TestServer, _ text: String, bodyExpected: Bool = true) throws -> TestResponse {
        let connection = try TestConnection(port: server.port)
        try connection.send(text)
        return try connection.readResponse(bodyExpected: bodyExpected)
    }

    @Test func nullIsNotAStringEvenForAnOptionalProperty() throws {
        let server = try TestServer()
        let response = try server.request("POST", "/chat", json: #"{"room": null}"#)
        #expect(response.status == 400)
        #expect(try Self.problemFields(response) == ["body.room"])
        #expect(server.memoryStore.lobbies(limit: 10, after: nil).items.isEmpty)
    }

    @Test func unknownKeysThatAreNoPlainNameAreSpelledAsJSONStrings() throws {
        let server = try TestServer()
        let response = try server.request("POST", "/chat", json: #"{"": 1, "a\nb": 2, "a.b": 3, "é\"": 4, "ok_-1": 5}"#)
        #expect(response.status == 400)
        let fields = try Self.problemFields(response)
        #expect(Set(fields) == [#"body[""]"#, #"body["a\nb"]"#, #"body["a.b"]"#, #"body["é\""]"#, "body.ok_-1"])
    }

    @Test(arguments: ["   ", "\u{3000}\u{A0}\t", "al\u{0}ice", "a\tb", "a\u{7F}", "line\nbreak", "x\u{85}y", "\u{1C}x"])
    func namesTheSchemaRefusesAre400(name: String) throws {
        let server = try TestServer()
        let body = String(decoding: try JSONEncoder().encode(["name": name]), as: UTF8.self)
        let response = try server.request("POST", "/chat/user", json: body)
        #expect(response.status == 400)
        #expect(try Self.problemFields(response) == ["body.name"])
        #expect(server.memoryStore.users(limit: 10, after: nil).items.isEmpty)
    }

    /// For every BMP scalar alone, before, after and between letters, the schema accepts the name
    /// exactly when the store keeps it without a control character (it trims, then refuses blank).
    @Test func theNamePatternIsWhatTheStoreAccepts() {
        var limits = ChatLimits()
        limits.maxUsers = .max  // a user per name tried
        let store = MemoryChatStore(limits: limits)
        var disagreements: [String] = []
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            for name in [String(scalar), "\(scalar)a", "a\(scalar)", "a\(scalar)b"] {
                var validator = SchemaValidator()
                validator.check(.object(["name": .string(name)]), against: Components.Schemas.CreateUserRequest.schemaRule, at: "body")
                let stored = try? store.createUser(name: name)
                let storable = stored.map { !$0.name.unicodeScalars.contains { $0.properties.generalCategory == .control } } ?? false
                if validator.errors.isEmpty != storable { disagreements.append("U+\(String(value, radix: 16)) in \(name.debugDescription)") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    @Test(arguments: ["ping", "user", "users"])
    func codesOfStaticSiblingSegmentsAreRefused(code: String) throws {
        let server = try TestServer()
        let response = try server.request("POST", "/chat", json: #"{"room":"\#(code)"}"#)
        #expect(response.status == 400)
        #expect(try Self.problemFields(response) == ["body.room"])
        // Only the exact words: another case is an ordinary code, and readable.
        let other = code.capitalized
        #expect(try server.request("POST", "/chat", json: #"{"room":"\#(other)"}"#).status == 201)
        #expect(try server.request("GET", "/chat/\(other)").status == 200)
    }

    @Test func generatedCodesAreNeverReserved() {
        #expect(!RoomCode.isAllowed("users") && !RoomCode.isAllowed("ping") && !RoomCode.isAllowed("user"))
        #expect(RoomCode.isAllowed("userz") && RoomCode.isAllowed("x7k2"))
        var preview = ScriptedGenerator("pingabcd")
        #expect(RoomCode.draw(length: 4, using: &preview) == "ping", "the scripted generator must draw ping first")
        var generator = ScriptedGenerator("pingabcd")
        #expect(RoomCode.generate(using: &generator) { _ in false } == "abcd")
    }

    @Test func lastEventIDMustBeOneCanonicalInteger() throws {
        let server = try TestServer()
        let (room, userId) = try server.makeMember()
        for message in ["one", "two", "three", "four"] { _ = try server.post(room, userId, message) }
        let head = "GET /events/\(room)?userId=\(userId) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + "Authorization: \(TestTokens.bearer(of: userId) ?? "")\r\n"
        for bad in ["Last-Event-ID: +3\r\n", "Last-Event-ID: 03\r\n", "Last-Event-ID: 3\r\nLast-Event-ID: 3\r\n", "Last-Event-ID: 2\r\nlast-event-id: 4\r\n"] {
            let response = try Self.raw(server, head + bad + "\r\n")
            #expect(response.status == 400, "\(bad.debugDescription)")
            #expect(try Self.problemFields(response) == ["header.Last-Event-ID"])
        }
        // HTTP strips the white space around a field value: the reader sees `3`.
        let connection = try TestConnection(port: server.port)
        try connection.send(head + "Last-Event-ID:  3 \r\n\r\n")
        let stream = EventStreamReader(connection: connection, head: try connection.readResponse(bodyExpected: false))
        #expect(stream.head.status == 200)
        #expect(try stream.next(2).map(\.id) == ["4", "5"])
        stream.close()
    }

    @Test(arguments: [("limit=05", 400), ("limit=+5", 400), ("limit=5&limit=6", 400), ("after=-0", 200), ("limit=5", 200)])
    func queryIntegersAreCanonicalAndSingle(query: String, status: Int) throws {
        let server = try TestServer()
        let room = try server.makeLobby()
        let response = try server.request("GET", "/chat/\(room)/messages?\(query)")
        #expect(response.status == status)
    }

    @Test(arguments: [
        ("application/json; charset=iso-8859-1", 415), ("application/json;charset=latin1", 415),
        ("application/json; charset=UTF-8", 201), (#"application/json; charset="utf-8""#, 201), ("application/json; x=1", 201),
    ])
    func aJSONBodyInAnotherCharsetIs415(contentType: String, status: Int) throws {
        let server = try TestServer()
        let response = try server.request("POST", "/chat/user", json: #"{"name":"alice"}"#, headers: ["Content-Type": contentType])
        #expect(response.status == status)
    }

    @Test func theAbsoluteFormIsRoutedByItsPathAndQuery() throws {
        let server = try TestServer()
        let ping = try Self.raw(server, "GET http://127.0.0.1:\(server.port)/chat/ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(ping.status == 200 && ping.text == "pong")
        let room = try server.makeLobby()
        let messages = try Self.raw(server, "GET HTTPS://elsewhere.example/chat/\(room)/messages?limit=0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(messages.status == 400)
        #expect(try Self.problemFields(messages) == ["query.limit"])
        let page = try Self.raw(server, "GET http://127.0.0.1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
    }

    @Test func optionsAsteriskDescribesTheWholeServer() throws {
        let server = try TestServer()
        let response = try Self.raw(server, "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(response.status == 204)
        let allow = Set((response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        // Every method some path of the spec takes (its operations are the `    get:` lines), HEAD and OPTIONS.
        let methods = Set(["get:", "put:", "post:", "delete:", "patch:"])
        let documented = APISpec.yaml.split(separator: "\n").filter { $0.hasPrefix("    ") && methods.contains($0.dropFirst(4).description) }
        #expect(allow == Set(documented.map { $0.dropFirst(4).dropLast().uppercased() }).union(["HEAD", "OPTIONS"]))
        #expect(response.header("Access-Control-Allow-Origin") == "*")
        let get = try Self.raw(server, "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(get.status == 400)
    }
}

/// A generator whose draws from a 36-character alphabet are the characters of `script`, in
/// order: each `next()` is the middle of that index's share of `UInt64`'s range.
struct ScriptedGenerator: RandomNumberGenerator {
    private var indexes: [Int]
    private var position = 0

    init(_ script: String) {
        indexes = script.map { character in RoomCode.alphabet.firstIndex(of: character)! }
    }

    mutating func next() -> UInt64 {
        let index = indexes[position % indexes.count]
        position += 1
        return UInt64((Double(index) + 0.5) / Double(RoomCode.alphabet.count) * 0x1p64)
    }
}
