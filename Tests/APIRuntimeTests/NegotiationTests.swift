import HTTPServer
import Testing
@testable import APIRuntime

/// `Accept` as RFC 9110 reads it.
@Suite struct AcceptedMediaTypesTests {
    @Test func qualitiesWildcardsAndSpecificity() {
        let accept = AcceptedMediaTypes(header: ["text/*;q=0.3, text/plain;q=0.7", "*/*;q=0.1, image/png;q=0"])
        #expect(accept.quality(of: "text/plain; charset=utf-8") == 0.7)
        #expect(accept.quality(of: "text/html") == 0.3)
        #expect(accept.quality(of: "application/json") == 0.1)
        #expect(!accept.accepts("image/png"))
        #expect(accept.preferred(among: ["application/json", "text/html", "text/plain"]) == 2)
        #expect(accept.preferred(among: ["image/png"]) == nil)
    }

    @Test func noHeaderAcceptsEverythingAndMalformedEntriesAreSkipped() {
        #expect(AcceptedMediaTypes(header: []).preferred(among: ["a/b", "c/d"]) == 0)
        let odd = AcceptedMediaTypes(header: ["nonsense, */json, text/plain;q=2"])
        #expect(odd.ranges?.count == 1)
        #expect(odd.quality(of: "text/plain") == 1)
        #expect(!odd.accepts("application/json"))
    }
}

/// Which of several declared body media types a request's `Content-Type` is.
@Suite struct BodyMediaTypeTests {
    static func reader(contentType: String?, body: String = "x") -> InputReader {
        var headers: HTTPHeaders = [:]
        if let contentType { headers.add("Content-Type", contentType) }
        return InputReader(request: HTTPRequest(method: "POST", target: "/x", headers: headers, body: Array(body.utf8)), pathParameters: [:])
    }

    @Test(arguments: [
        ("image/png", 1), ("image/jpeg", 2), ("text/plain", 0), ("Image/PNG; q=1", 1),
    ])
    func theMostSpecificDeclaredTypeWins(contentType: String, index: Int) {
        var reader = Self.reader(contentType: contentType)
        #expect(reader.bodyMediaType(["*/*", "image/png", "image/*"], required: true) == index)
    }

    @Test func noMatchIs415NamingEveryTypeAndNoBodyIsRequiredOrNil() {
        var reader = Self.reader(contentType: "text/csv")
        #expect(reader.bodyMediaType(["application/json", "text/plain"], required: true) == nil)
        #expect(reader.failure()?.detail == "the body must be application/json or text/plain, not text/csv")
        var empty = Self.reader(contentType: nil, body: "")
        #expect(empty.bodyMediaType(["application/json"], required: false) == nil)
        #expect(empty.failure() == nil)
        var missing = Self.reader(contentType: nil, body: "")
        #expect(missing.bodyMediaType(["application/json"], required: true) == nil)
        #expect(missing.failure()?.errors?.map(\.field) == ["body"])
    }
}
