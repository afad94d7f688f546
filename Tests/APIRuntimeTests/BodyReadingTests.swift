import HTTPServer
import Testing
@testable import APIRuntime

/// Form, text and raw bodies as `InputReader` reads them.
@Suite struct BodyReadingTests {
    static func reader(_ body: String, contentType: String) -> InputReader {
        var headers: HTTPHeaders = [:]
        headers.add("Content-Type", contentType)
        return InputReader(request: HTTPRequest(method: "POST", target: "/x", headers: headers, body: Array(body.utf8)), pathParameters: [:])
    }

    struct Search: Decodable, Equatable {
        var q: String
        var limit: Int?
        var tag: [String]?
        var exact: Bool?
    }

    static let searchRule = SchemaRule.object([
        PropertyRule("q", .string(StringRule(minLength: 1)), required: true),
        PropertyRule("limit", .integer(NumberRule(minimum: 1)), required: false),
        PropertyRule("tag", .array(.string(StringRule())), required: false),
        PropertyRule("exact", .boolean, required: false),
    ])

    struct Album: Decodable, Equatable {
        struct Meta: Decodable, Equatable { var note: String }
        var tags: [String]
        var meta: Meta?
    }

    static let albumRule = SchemaRule.object([
        PropertyRule("tags", .array(.string(StringRule(minLength: 1))), required: true),
        PropertyRule("meta", .nullable(.object([PropertyRule("note", .string(StringRule()), required: true)])), required: false),
    ])

    static func multipart(_ parts: [String]) -> String {
        parts.map { "--b0\r\nContent-Disposition: form-data; " + $0 + "\r\n" }.joined() + "--b0--\r\n"
    }

    @Test func multipartArraysAreRepeatedPartsAndObjectsJSONParts() {
        let body = Self.multipart(["name=\"tags\"\r\n\r\nred", "name=\"tags\"\r\n\r\nblue", "name=\"meta\"\r\n\r\n{\"note\":\"hi\"}"])
        var reader = Self.reader(body, contentType: "multipart/form-data; boundary=b0")
        #expect(reader.multipartBody(Album.self, Self.albumRule, required: true, maxParts: 10) == Album(tags: ["red", "blue"], meta: .init(note: "hi")))
        #expect(reader.failure() == nil)
    }

    @Test func aMultipartItemOrJSONPartThatDoesNotFitIsNamed() throws {
        let body = Self.multipart(["name=\"tags\"\r\n\r\nred", "name=\"tags\"\r\n\r\n", "name=\"meta\"\r\n\r\n{not json"])
        var reader = Self.reader(body, contentType: "multipart/form-data; boundary=b0")
        #expect(reader.multipartBody(Album.self, Self.albumRule, required: true, maxParts: 10) == nil)
        #expect(try #require(reader.failure()?.errors).map(\.field) == ["body.meta", "body.tags[1]"])
    }

    @Test func aFormIsReadAsTypedValues() {
        var reader = Self.reader("q=a+b%21&limit=3&tag=x&tag=y&exact=true", contentType: "application/x-www-form-urlencoded")
        #expect(reader.formBody(Search.self, Self.searchRule, required: true) == Search(q: "a b!", limit: 3, tag: ["x", "y"], exact: true))
        #expect(reader.failure() == nil)
    }

    @Test func aFormFieldOfTheWrongTypeOrAnUnknownOneIsNamed() throws {
        var reader = Self.reader("q=&limit=many&other=1", contentType: "application/x-www-form-urlencoded")
        #expect(reader.formBody(Search.self, Self.searchRule, required: true) == nil)
        #expect(try #require(reader.failure()?.errors).map(\.field) == ["body.q", "body.limit", "body.other"])
    }

    @Test func aFormInAnotherMediaTypeIs415() {
        var reader = Self.reader(#"{"q":"a"}"#, contentType: "application/json")
        #expect(reader.formBody(Search.self, Self.searchRule, required: true) == nil)
        #expect(reader.failure()?.status.code == 415)
        #expect(reader.failure()?.detail == "the body must be application/x-www-form-urlencoded, not application/json")
    }

    @Test func textIsUTF8CheckedAgainstItsRule() {
        var good = Self.reader("héllo", contentType: "text/plain; charset=UTF-8")
        #expect(good.textBody(.string(StringRule(maxLength: 5)), required: true) == "héllo")
        var long = Self.reader("héllo!", contentType: "text/plain")
        #expect(long.textBody(.string(StringRule(maxLength: 5)), required: true) == nil)
        #expect(long.failure()?.errors?.map(\.field) == ["body"])
        var latin = Self.reader("x", contentType: "text/plain; charset=latin1")
        #expect(latin.textBody(.string(StringRule()), required: true) == nil)
        #expect(latin.failure()?.status.code == 415)
    }

    @Test(arguments: [
        ("image/png", "image/png", true), ("image/*", "image/jpeg", true), ("image/*", "text/plain", false),
        ("*/*", "anything/else", true), ("application/octet-stream", "Application/Octet-Stream; x=1", true),
    ])
    func rawBytesAreTakenInTheirMediaType(declared: String, sent: String, accepted: Bool) {
        var reader = Self.reader("\u{1}\u{2}", contentType: sent)
        #expect((reader.bytesBody(mediaType: declared, required: true) == [1, 2]) == accepted)
        #expect((reader.failure()?.status.code == 415) == !accepted)
    }
}
