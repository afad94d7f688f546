import HTTPServer
import Testing
@testable import APIRuntime

@Suite struct RoutingTests {
    enum Route: Sendable, Equatable { case users, room, roomMessages, ping, events }

    static let table = RouteTable<Route>([
        ("GET", "/chat/{room}", .room),
        ("GET", "/chat/users", .users),
        ("GET", "/chat/{room}/messages", .roomMessages),
        ("POST", "/chat/{room}", .room),
        ("GET", "/events/{room}", .events),
    ])

    @Test func aStaticSegmentWinsOverAParameterWhateverTheOrder() throws {
        #expect(try #require(Self.table.match("/chat/users")).operation(for: "GET") == .users)
        let room = try #require(Self.table.match("/chat/general"))
        #expect(room.operation(for: "GET") == .room)
        #expect(room.parameters == ["room": "general"])
        #expect(room.allowedMethods == ["GET", "POST", "HEAD", "OPTIONS"])
    }

    @Test func precedenceDoesNotDependOnTheSpecsOrder() throws {
        // Templates of other lengths between the two once let `{room}` stay ahead of `users`.
        let table = RouteTable<Route>([
            ("GET", "/chat/{room}", .room), ("GET", "/chat", .ping), ("GET", "/chat/users", .users),
            ("GET", "/chat/{room}/messages", .roomMessages),
        ])
        #expect(try #require(table.match("/chat/users")).operation(for: "GET") == .users)
        #expect(try #require(table.match("/chat/general")).operation(for: "GET") == .room)
        #expect(try #require(table.match("/chat")).operation(for: "GET") == .ping)
    }

    @Test func parametersArePercentDecodedAndEmptyOnesDoNotMatch() {
        #expect(Self.table.match("/chat/caf%C3%A9/messages")?.parameters == ["room": "café"])
        #expect(Self.table.match("/chat//messages") == nil)
        #expect(Self.table.match("/chat/") == nil)
        #expect(Self.table.match("/chat/%ZZ") == nil)
        #expect(Self.table.match("chat/users") == nil)
        #expect(Self.table.match("/chat/a/b/c") == nil)
    }

    @Test func percentDecoding() {
        #expect(PercentDecoding.decode("a%20b+c") == "a b+c")
        #expect(PercentDecoding.decode("a%20b+c", plusIsSpace: true) == "a b c")
        #expect(PercentDecoding.decode("%") == nil)
        #expect(PercentDecoding.decode("%C3") == nil)  // not UTF-8
    }

    @Test func queryParameters() {
        let query = QueryParameters("limit=5&after=&userId=a%2Bb&flag&limit=9&bad=%G1")
        #expect(query["limit"] == "5")
        #expect(query["after"] == "")
        #expect(query["userId"] == "a+b")
        #expect(query["flag"] == "")
        #expect(query["bad"] == nil)
        #expect(query.malformed == ["bad"])
        #expect(QueryParameters(nil).pairs.isEmpty)
    }
}

@Suite struct InputReaderTests {
    static func request(_ target: String, body: String? = nil, contentType: String? = "application/json") -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        if let contentType { headers.add("Content-Type", contentType) }
        return HTTPRequest(method: "POST", target: target, headers: headers, body: Array((body ?? "").utf8))
    }

    struct Body: Decodable { var name: String }
    static let bodyRule = SchemaRule.object([PropertyRule("name", .string(StringRule(minLength: 1)), required: true)])

    @Test func everyFailingFieldIsNamedInOne400() throws {
        var reader = InputReader(request: Self.request("/x?limit=0&after=x", body: #"{"name":""}"#), pathParameters: [:])
        _ = reader.integer(.query, "limit", NumberRule(minimum: 1, maximum: 10), required: false)
        _ = reader.integer(.query, "after", NumberRule(), required: false)
        _ = reader.string(.header, "X-User-Id", StringRule(), required: true)
        _ = reader.jsonBody(Body.self, Self.bodyRule, required: true)
        let failure = try #require(reader.failure())
        #expect(failure.status.code == 400)
        #expect(failure.kind == .validation)
        #expect(failure.errors?.map(\.field) == ["query.limit", "query.after", "header.X-User-Id", "body.name"])
    }

    @Test func anotherMediaTypeIs415() throws {
        var reader = InputReader(request: Self.request("/x", body: "name=a", contentType: "application/x-www-form-urlencoded"), pathParameters: [:])
        #expect(reader.jsonBody(Body.self, Self.bodyRule, required: true) == nil)
        #expect(reader.failure()?.status.code == 415)
    }

    @Test func jsonWithParametersIsJSON() {
        var reader = InputReader(request: Self.request("/x", body: #"{"name":"a"}"#, contentType: "Application/JSON; charset=utf-8"), pathParameters: [:])
        #expect(reader.jsonBody(Body.self, Self.bodyRule, required: true)?.name == "a")
        #expect(reader.failure() == nil)
    }

    @Test func anOptionalEmptyBodyIsNil() {
        var reader = InputReader(request: Self.request("/x", contentType: nil), pathParameters: [:])
        #expect(reader.jsonBody(Body.self, Self.bodyRule, required: false) == nil)
        #expect(reader.failure() == nil)
    }

    @Test func aPathValueThatFailsItsSchemaIs404() {
        var reader = InputReader(request: Self.request("/chat/bad!"), pathParameters: ["room": "bad!"])
        _ = reader.string(.path, "room", StringRule(pattern: Pattern("^[a-z]+$")), required: true)
        #expect(reader.failure()?.status.code == 404)
    }

    /// A name outside `[A-Za-z0-9_-]` is spelled `path["…"]` in the field text; the reader must
    /// still know it is a path parameter.
    @Test(arguments: ["room", "room name", "räum", "a.b"])
    func aPathValueThatFailsIs404WhateverTheParameterIsCalled(name: String) throws {
        var reader = InputReader(request: Self.request("/chat/bad!"), pathParameters: [name: "bad!"])
        _ = reader.integer(.query, "limit", NumberRule(minimum: 1), required: true)
        _ = reader.integer(.path, name, NumberRule(), required: true)
        let failure = try #require(reader.failure())
        #expect(failure.status.code == 404)
        #expect(failure.detail == "no resource at /chat/bad!: 'bad!' is not a valid \(name)")
    }

    @Test func aMissingRequiredParameterIsSpelledLikeEveryOtherField() {
        var reader = InputReader(request: Self.request("/x"), pathParameters: [:])
        _ = reader.string(.header, "X Odd", StringRule(), required: true)
        #expect(reader.failure()?.errors?.map(\.field) == [#"header["X Odd"]"#])
    }

    @Test func aMapRuleChecksEveryValue() {
        var validator = SchemaValidator()
        validator.check(.object(["a": .integer(1), "b c": .string("x")]), against: .map(.integer(NumberRule())), at: "body")
        #expect(validator.errors.map(\.field) == [#"body["b c"]"#])
    }
}

@Suite struct SchemaValidatorTests {
    @Test func oneOfPicksTheVariantByDiscriminator() {
        let hello = SchemaRule.object([
            PropertyRule("type", .string(StringRule(allowed: ["hello"])), required: true),
            PropertyRule("payload", .integer(NumberRule(minimum: 0)), required: true),
        ])
        let rule = SchemaRule.oneOf(discriminator: "type", variants: [("hello", hello)])
        var validator = SchemaValidator()
        validator.check(.object(["type": .string("hello"), "payload": .integer(-1)]), against: rule, at: "body")
        validator.check(.object(["type": .string("bye")]), against: rule, at: "event")
        validator.check(.array([]), against: rule, at: "other")
        #expect(validator.errors.map(\.field) == ["body.payload", "event.type", "other"])
    }

    @Test func dollarIsTheEndOfTheInputAsInECMAScript() {
        let room = Pattern("^[A-Za-z0-9_-]{1,64}$")
        #expect(room.matches("abc"))
        #expect(!room.matches("abc\n"))
        #expect(!room.matches("abc\r\n"))
        #expect(Pattern.icuSource(#"^a\$[$]$"#) == #"^a\$[$]\z"#)
        #expect(Pattern(#"^a\$$"#).matches("a$"))
    }

    @Test func stringsCountScalarsAndCheckFormats() {
        var validator = SchemaValidator()
        validator.check("éé", against: StringRule(maxLength: 2), at: "a")
        validator.check("😀😀😀", against: StringRule(maxLength: 2), at: "b")
        validator.check("6F1C2B0E-1D2A-4A63-9A55-0E1F2D3C4B5A", against: StringRule(format: "uuid"), at: "c")
        validator.check("6f1c2b0e1d2a4a639a550e1f2d3c4b5a", against: StringRule(format: "uuid"), at: "d")
        validator.check("alice", against: StringRule(pattern: Pattern("^[0-9a-f-]{36}$"), format: "uuid"), at: "e")
        #expect(validator.errors.map(\.field) == ["b", "d", "e"])
        #expect(validator.errors.last?.reason == "must be a UUID")
    }
}

@Suite struct SpecStrictnessTests {
    static func request(_ target: String, headers: HTTPHeaders = [:]) -> HTTPRequest {
        HTTPRequest(method: "GET", target: target, headers: headers)
    }

    @Test func nullFailsAnOptionalPropertyThatIsNotNullable() {
        let rule = SchemaRule.object([PropertyRule("room", .string(StringRule()), required: false)])
        var validator = SchemaValidator()
        validator.check(.object(["room": .null]), against: rule, at: "body")
        validator.check(.object([:]), against: rule, at: "absent")
        #expect(validator.errors.map(\.field) == ["body.room"])
        #expect(validator.errors.first?.reason == "must be a string, found null")
    }

    @Test func fieldPathsSpellEveryNameOneWay() {
        #expect(FieldPath.member("body", "userId") == "body.userId")
        #expect(FieldPath.member("header", "X-User-Id") == "header.X-User-Id")
        #expect(FieldPath.member("body", "") == #"body[""]"#)
        #expect(FieldPath.member("body", "a\nb") == #"body["a\nb"]"#)
        #expect(FieldPath.member("body", "a.b") == #"body["a.b"]"#)
        #expect(FieldPath.member("body", "q\"\\\u{1}\u{2028}") == #"body["q\"\\\u0001"# + "\u{2028}\"]")
        #expect(FieldPath.index("body.members", 3) == "body.members[3]")
    }

    /// The spelling matches api.yaml's `FieldError.field` pattern (the same text as the spec).
    @Test func fieldPathsMatchTheSpecsPattern() {
        let pattern = Pattern(#"^(body|query|path|header)(\.[A-Za-z0-9_-]+|\[[0-9]+\]|\["([^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-f]{4})*"\])*$"#)
        let names = ["", "a\nb", "a\r\n", "\u{0}", "é", "😀", "a b", "a.b", "[0]", "\"", "\\", "\u{7F}", "\u{2028}", "plain_-9"]
        for name in names {
            #expect(pattern.matches(FieldPath.index(FieldPath.member("body", name), 0)), "\(name.debugDescription)")
        }
        #expect(!pattern.matches("body."))
        #expect(!pattern.matches("body.a\nb"))
    }

    @Test(arguments: [("5", 5), ("0", 0), ("-0", 0), ("-12", -12), ("05", nil), ("+3", nil), (" 3", nil), ("3 ", nil),
                      ("", nil), ("-", nil), ("1e2", nil), ("0x10", nil), ("99999999999999999999", nil)] as [(String, Int?)])
    func integersAreCanonical(text: String, value: Int?) {
        #expect(ParameterSyntax.integer(text) == value)
    }

    @Test(arguments: [("1.5", 1.5), ("-0.25e+2", -25), ("10E1", 100), ("0", 0), (".5", nil), ("1.", nil), ("+1", nil),
                      ("01", nil), ("inf", nil), ("nan", nil), ("0x1p3", nil), ("1e", nil), ("1e999", nil)] as [(String, Double?)])
    func numbersHaveJSONsForm(text: String, value: Double?) {
        #expect(ParameterSyntax.number(text) == value)
    }

    @Test func aParameterGivenTwiceIs400() throws {
        var headers: HTTPHeaders = [:]
        headers.add("Last-Event-ID", "1")
        headers.add("last-event-id", "1")
        var reader = InputReader(request: Self.request("/x?limit=1&limit=1", headers: headers), pathParameters: [:])
        #expect(reader.integer(.header, "Last-Event-ID", NumberRule(), required: false) == nil)
        #expect(reader.integer(.query, "limit", NumberRule(), required: true) == nil)
        let failure = try #require(reader.failure())
        let fields = failure.errors?.map(\.field) ?? []
        #expect(fields.contains("header.Last-Event-ID") && fields.contains("query.limit"))
        #expect(!(failure.errors ?? []).contains { $0.reason.contains("is required") })
    }

    @Test(arguments: [("application/json", true), ("application/json; charset=utf-8", true), ("application/json;CHARSET=UTF-8", true),
                      (#"application/json; charset="utf-8""#, true), ("application/json; v=1", true),
                      ("application/json; charset=iso-8859-1", false), ("application/json; charset=", false),
                      ("application/json; charset=utf-16", false), ("text/json", false)] as [(String, Bool)])
    func onlyUTF8JSONIsJSON(contentType: String, isJSON: Bool) {
        #expect(InputReader.isJSON(contentType) == isJSON)
    }

    @Test func optionsAsteriskMatchesEveryMethodOfTheTable() throws {
        let table = RouteTable<Int>([("GET", "/a", 1), ("POST", "/a", 2), ("DELETE", "/b/{id}", 3)])
        let match = try #require(table.match("*"))
        #expect(match.operations.isEmpty)
        #expect(match.allowedMethods == ["GET", "POST", "DELETE", "HEAD", "OPTIONS"])
        #expect(table.match("**") == nil)
    }
}

/// Array query parameters, `style: form`, with and without `explode`.
@Suite struct ArrayParameterTests {
    static func reader(_ target: String) -> InputReader {
        InputReader(request: HTTPRequest(method: "GET", target: target), pathParameters: [:])
    }

    @Test func explodedItemsArePairsAndUnexplodedOnesAreCommaSeparated() {
        var reader = Self.reader("/x?tag=a&tag=b%2Cc&id=1,2,3&empty=")
        #expect(reader.strings("tag", StringRule(), explode: true, required: true) == ["a", "b,c"])
        #expect(reader.integers("id", NumberRule(), explode: false, required: true) == [1, 2, 3])
        #expect(reader.strings("empty", StringRule(), explode: false, required: false) == [])
        #expect(reader.booleans("none", explode: true, required: false) == nil)
        #expect(reader.failure() == nil)
    }

    @Test func eachFailingItemIsNamedByIndexAndCountsAreChecked() throws {
        var reader = Self.reader("/x?id=1,x,-3&tag=a&tag=b&tag=c&flag=1")
        #expect(reader.integers("id", NumberRule(minimum: 0), explode: false, required: true) == nil)
        #expect(reader.strings("tag", StringRule(), explode: true, required: true, maxItems: 2) == nil)
        #expect(reader.booleans("flag", explode: true, required: true) == nil)
        #expect(reader.numbers("n", NumberRule(), explode: true, required: true) == nil)
        let fields = try #require(reader.failure()?.errors).map(\.field)
        #expect(fields == ["query.id[1]", "query.id[2]", "query.tag", "query.flag[0]", "query.n"])
    }

    @Test func anUnexplodedArrayGivenTwiceIsAnError() {
        var reader = Self.reader("/x?id=1&id=2")
        #expect(reader.integers("id", NumberRule(), explode: false, required: true) == nil)
        #expect(reader.failure()?.errors?.first?.reason == "must be given once, not 2 times, with its items separated by commas")
    }
}
