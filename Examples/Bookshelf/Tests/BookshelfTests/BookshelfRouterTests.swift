import Foundation
import HTTPServer
import Testing
@testable import BookshelfServer
import APIRuntime
import BookshelfAPI

/// The generated router of the Bookshelf spec, driven without a socket: each test checks one
/// thing the spec says and RouteGen had to generate (inline objects, primitive and map bodies,
/// mangled names, derived operation ids), so it fails if the generated code does not do it.
@Suite struct BookshelfRouterTests {
    /// A request, JSON when it has a body.
    static func request(_ method: String, _ target: String, json: String? = nil, token: String? = nil) -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        if json != nil { headers.add("Content-Type", "application/json") }
        if let token { headers.add("Authorization", "Bearer \(token)") }
        return HTTPRequest(method: method, target: target, headers: headers, body: Array((json ?? "").utf8))
    }

    /// The status and body text of the answer to `request`.
    static func answer(_ request: HTTPRequest, from application: BookshelfApplication = BookshelfApplication()) async -> (status: Int, body: String, contentType: String?) {
        let response = await application.router.respond(to: request)
        guard case .bytes(let bytes) = response.body else { return (response.status.code, "(stream)", nil) }
        return (response.status.code, String(decoding: bytes, as: UTF8.self), response.headers["Content-Type"])
    }

    /// The JSON object of a body.
    static func object(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    static let novel = #"{"isbn":"9780000000002","title":"A Novel","authors":["Ann"],"publisher":{"name":"Small Press"},"tags":[{"label":"fiction"}]}"#

    @Test func anInlineBodyWithNestedInlineObjectsIsReadAndAnswered() async throws {
        let (status, body, _) = await Self.answer(Self.request("POST", "/books", json: Self.novel))
        #expect(status == 201)
        let book = try Self.object(body)
        #expect((book["publisher"] as? [String: Any])?["name"] as? String == "Small Press")
        #expect((book["tags"] as? [[String: Any]])?.first?["label"] as? String == "fiction")
    }

    @Test func aNestedInlineObjectIsValidatedByTheRouter() async throws {
        let bad = #"{"isbn":"9780000000002","title":"T","authors":["A"],"publisher":{"city":"X"},"tags":[{"label":"No Caps"}]}"#
        let (status, body, _) = await Self.answer(Self.request("POST", "/books", json: bad))
        #expect(status == 400)
        let errors = try #require(try Self.object(body)["errors"] as? [[String: Any]])
        #expect(errors.compactMap { $0["field"] as? String } == ["body.publisher.name", "body.tags[0].label"])
    }

    @Test func aPrimitiveJSONBodyIsCheckedAndAPrimitiveAnswered() async throws {
        let application = BookshelfApplication()
        #expect(await Self.answer(Self.request("POST", "/books/9780000000001/ratings", json: "4"), from: application).body == "1")
        #expect(await Self.answer(Self.request("POST", "/books/9780000000001/ratings", json: "5"), from: application).body == "2")
        let (status, body, _) = await Self.answer(Self.request("POST", "/books/9780000000001/ratings", json: "6"), from: application)
        #expect(status == 400)
        #expect(body.contains(#""field":"body""#))
        #expect(await Self.answer(Self.request("POST", "/books/9780000000001/ratings", json: #""4""#), from: application).status == 400)
    }

    @Test func aMapResponseIsAnObjectOfCounts() async throws {
        let application = BookshelfApplication()
        _ = await Self.answer(Self.request("POST", "/books", json: Self.novel), from: application)
        let (status, body, contentType) = await Self.answer(Self.request("GET", "/shelves"), from: application)
        #expect(status == 200)
        #expect(contentType == "application/json")
        #expect(try Self.object(body) as? [String: Int] == ["fiction": 1])
    }

    @Test func anOperationWithoutOperationIdIsRoutedUnderItsDerivedName() async {
        let application = BookshelfApplication()
        _ = await Self.answer(Self.request("POST", "/books", json: Self.novel), from: application)
        #expect(await Self.answer(Self.request("DELETE", "/books/9780000000002", token: "librarian-token"), from: application).status == 204)
        #expect(await Self.answer(Self.request("GET", "/books/9780000000002"), from: application).status == 404)
    }

    @Test func aNamedPrimitivePathParameterKeepsItsPatternAndFailsAs404() async {
        #expect(await Self.answer(Self.request("GET", "/books/twelve")).status == 404)
        #expect(await Self.answer(Self.request("GET", "/books/9780000000001")).status == 200)
    }

    @Test func queryDefaultsAndTextResponsesWork() async throws {
        let (status, body, _) = await Self.answer(Self.request("GET", "/books?author=Reference%20Writer"))
        #expect(status == 200)
        #expect(try Self.object(body)["total"] as? Int == 1)
        let health = await Self.answer(Self.request("GET", "/health"))
        #expect(health.body == "ok")
        #expect(health.contentType == "text/plain; charset=utf-8")
    }
}

/// A `2XX` response: the handler picks the status, the router refuses one outside the range.
@Suite struct StatusRangeTests {
    @Test func aRangeCaseIsAnsweredWithTheStatusItCarries() async {
        let application = BookshelfApplication()
        #expect(await BookshelfRouterTests.answer(BookshelfRouterTests.request("DELETE", "/books/9780000000001", token: "librarian-token"), from: application).status == 202)
    }

    @Test func aStatusOutsideTheRangeIsA500() {
        let response = Operations.DeleteBooksIsbn.Output.status2XX(status: 404).response(RouterOptions())
        #expect(response.status.code == 500)
        #expect(Operations.DeleteBooksIsbn.Output.status2XX(status: 204).response(RouterOptions()).status.code == 204)
    }
}

/// `tag=a,b`: an array query parameter without `explode`, each item checked.
@Suite struct ArrayQueryTests {
    @Test func booksAreFilteredByEveryTagAndABadItemIsNamed() async throws {
        let application = BookshelfApplication()
        _ = await BookshelfRouterTests.answer(BookshelfRouterTests.request("POST", "/books", json: BookshelfRouterTests.novel), from: application)
        let fiction = await BookshelfRouterTests.answer(BookshelfRouterTests.request("GET", "/books?tag=fiction"), from: application)
        #expect(try BookshelfRouterTests.object(fiction.body)["total"] as? Int == 1)
        let both = await BookshelfRouterTests.answer(BookshelfRouterTests.request("GET", "/books?tag=fiction,poetry"), from: application)
        #expect(try BookshelfRouterTests.object(both.body)["total"] as? Int == 0)
        let bad = await BookshelfRouterTests.answer(BookshelfRouterTests.request("GET", "/books?tag=fiction,No"), from: application)
        #expect(bad.status == 400)
        #expect(bad.body.contains(#""field":"query.tag[1]""#))
    }
}

/// `type: [string, "null"]`: a required property that may be null is written as `null`.
@Suite struct NullablePropertyTests {
    @Test func aMissingSubtitleIsWrittenAsNullAndAGivenOneKept() async throws {
        let application = BookshelfApplication()
        let reference = await BookshelfRouterTests.answer(BookshelfRouterTests.request("GET", "/books/9780000000001"), from: application)
        #expect(reference.body.contains(#""subtitle":null"#))
        let subtitled = #"{"isbn":"9780000000005","title":"T","subtitle":"S","authors":["A"]}"#
        let created = await BookshelfRouterTests.answer(BookshelfRouterTests.request("POST", "/books", json: subtitled), from: application)
        #expect(created.body.contains(#""subtitle":"S""#))
        let nullSubtitle = #"{"isbn":"9780000000006","title":"T","subtitle":null,"authors":["A"]}"#
        #expect(await BookshelfRouterTests.answer(BookshelfRouterTests.request("POST", "/books", json: nullSubtitle), from: application).status == 201)
    }
}

/// A typed response header the handler gives, and a fixed one the router writes.
@Suite struct ResponseHeaderTests {
    @Test func theRatingsCountAndTheFixedCacheControlAreSent() async {
        let application = BookshelfApplication()
        _ = await application.router.respond(to: BookshelfRouterTests.request("POST", "/books/9780000000001/ratings", json: "5"))
        let response = await application.router.respond(to: BookshelfRouterTests.request("GET", "/books/9780000000001"))
        #expect(response.headers["X-Ratings-Count"] == "1")
        #expect(response.headers["Cache-Control"] == "no-cache")
    }
}

/// `security: [{librarian: []}]`: 401 with a challenge without a token; the handler judges one.
@Suite struct SecurityTests {
    @Test func noTokenIs401AndTheHandlerJudgesTheTokenItGets() async {
        let application = BookshelfApplication()
        let none = await application.router.respond(to: BookshelfRouterTests.request("DELETE", "/books/9780000000001"))
        #expect(none.status.code == 401)
        #expect(none.headers["WWW-Authenticate"] == #"Bearer realm="Bookshelf""#)
        let reader = await application.router.respond(to: BookshelfRouterTests.request("DELETE", "/books/9780000000001", token: "reader"))
        #expect(reader.status.code == 403)
        let librarian = await application.router.respond(to: BookshelfRouterTests.request("DELETE", "/books/9780000000001", token: "librarian-token"))
        #expect(librarian.status.code == 202)
    }
}

/// `format`, a named string enum: a Swift enum in and out, other values refused by the router.
@Suite struct EnumTests {
    @Test func aFormatIsAnEnumAndAnUnknownOneIsA400() async throws {
        let application = BookshelfApplication()
        let ebook = #"{"isbn":"9780000000007","title":"T","authors":["A"],"format":"e-book"}"#
        let created = await BookshelfRouterTests.answer(BookshelfRouterTests.request("POST", "/books", json: ebook), from: application)
        #expect(created.status == 201)
        #expect(created.body.contains(#""format":"e-book""#))
        #expect(application.catalogue.book("9780000000007")?.format == .eBook)
        let scroll = #"{"isbn":"9780000000008","title":"T","authors":["A"],"format":"scroll"}"#
        let refused = await BookshelfRouterTests.answer(BookshelfRouterTests.request("POST", "/books", json: scroll), from: application)
        #expect(refused.status == 400)
        #expect(refused.body.contains(#""field":"body.format""#))
    }
}

/// `GET /categories`: a recursive schema, answered as JSON or as text by the request's `Accept`.
@Suite struct CategoryTests {
    static func request(accept: String?) -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        if let accept { headers.add("Accept", accept) }
        return HTTPRequest(method: "GET", target: "/categories", headers: headers, body: [])
    }

    @Test func theTreeIsJSONUnlessTextIsPreferred() async throws {
        let json = await BookshelfRouterTests.answer(Self.request(accept: nil))
        #expect(json.contentType == "application/json")
        #expect(json.body.hasPrefix(#"[{"children":[{"children":[],"name":"Novels"},{"children":[{"children":[],"name":"Anthologies"}]"#))
        let text = await BookshelfRouterTests.answer(Self.request(accept: "application/json;q=0.5, text/plain"))
        #expect(text.contentType == "text/plain; charset=utf-8")
        #expect(text.body == "Fiction\n  Novels\n  Short stories\n    Anthologies\nNon-fiction\n  History\n")
    }

    @Test func anAcceptThatAllowsNeitherIs406() async {
        let refused = await BookshelfRouterTests.answer(Self.request(accept: "image/png"))
        #expect(refused.status == 406)
        #expect(refused.contentType == "application/problem+json")
    }
}
