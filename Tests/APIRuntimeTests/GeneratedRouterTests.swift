import Foundation
import HTTPServer
import Testing
@testable import APIRuntime

/// The router RouteGen writes for `RuntimeFixtureTests.spec` (in `Generated/`), answering requests:
/// multipart uploads, a body and an answer in several media types, unions and recursive schemas.
@Suite struct GeneratedRouterTests {
    struct Handler: APIHandler {
        func upload(_ input: Operations.Upload.Input) async throws -> Operations.Upload.Output {
            .created(Components.Schemas.Receipt(title: input.body.title, filename: input.body.file.filename ?? "-", size: input.body.file.bytes.count))
        }

        func addNote(_ input: Operations.AddNote.Input) async throws -> Operations.AddNote.Output {
            let text = switch input.body {
            case .json(let note): "json:" + note.text
            case .plain(let text): "text:" + text
            }
            return .ok(.preferred(by: input.accept, json: Components.Schemas.Note(text: text), plain: text))
        }

        func plantTree(_ input: Operations.PlantTree.Input) async throws -> Operations.PlantTree.Output {
            func count(_ node: Components.Schemas.TreeNode) -> Int {
                1 + (node.children ?? []).map(count).reduce(0, +) + (node.parent.map(count) ?? 0) + (node.link.map { count($0.target) } ?? 0)
            }
            return .ok(count(input.body))
        }

        func drawShape(_ input: Operations.DrawShape.Input) async throws -> Operations.DrawShape.Output {
            .ok(input.body)
        }
    }

    static let router = APIRouter(handler: Handler())

    static func request(_ target: String, _ body: [UInt8], contentType: String, accept: String? = nil) -> HTTPRequest {
        var headers: HTTPHeaders = [:]
        headers.add("Content-Type", contentType)
        if let accept { headers.add("Accept", accept) }
        return HTTPRequest(method: "POST", target: target, headers: headers, body: body)
    }

    static func answer(_ request: HTTPRequest) async -> (status: Int, contentType: String?, body: String) {
        let response = await router.respond(to: request)
        guard case .bytes(let bytes) = response.body else { return (response.status.code, nil, "(stream)") }
        return (response.status.code, response.headers["Content-Type"], String(decoding: bytes, as: UTF8.self))
    }

    static func multipart(_ parts: [String]) -> [UInt8] {
        Array((parts.map { "--XyZ\r\n" + $0 + "\r\n" }.joined() + "--XyZ--\r\n").utf8)
    }

    // MARK: multipart/form-data

    @Test func aMultipartBodyIsATypedValueWithItsFile() async throws {
        let body = Self.multipart([
            "Content-Disposition: form-data; name=\"title\"\r\n\r\nCover",
            "Content-Disposition: form-data; name=\"file\"; filename=\"c.png\"\r\nContent-Type: image/png\r\n\r\n\u{1}\u{2}\u{3}",
        ])
        let answer = await Self.answer(Self.request("/uploads", body, contentType: "multipart/form-data; boundary=XyZ"))
        #expect(answer.status == 201)
        #expect(answer.body == #"{"filename":"c.png","size":3,"title":"Cover"}"#)
    }

    @Test func aMultipartFieldIsCheckedAsItsType() async throws {
        let body = Self.multipart([
            "Content-Disposition: form-data; name=\"title\"\r\n\r\n",
            "Content-Disposition: form-data; name=\"copies\"\r\n\r\nmany",
            "Content-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nx",
        ])
        let answer = await Self.answer(Self.request("/uploads", body, contentType: "multipart/form-data; boundary=XyZ"))
        #expect(answer.status == 400)
        #expect(answer.body.contains(#""field":"body.copies""#))
        #expect(answer.body.contains(#""field":"body.title""#))
    }

    @Test func aPartGivenTwiceOrUnknownIsNamed() async throws {
        let body = Self.multipart([
            "Content-Disposition: form-data; name=\"title\"\r\n\r\nA",
            "Content-Disposition: form-data; name=\"title\"\r\n\r\nB",
            "Content-Disposition: form-data; name=\"extra\"\r\n\r\n1",
            "Content-Disposition: form-data; name=\"file\"\r\n\r\nx",
        ])
        let answer = await Self.answer(Self.request("/uploads", body, contentType: "multipart/form-data; boundary=XyZ"))
        #expect(answer.status == 400)
        #expect(answer.body.contains(#"{"field":"body.title","reason":"must be given once, not 2 times"}"#))
        #expect(answer.body.contains(#"{"field":"body.extra","reason":"is not a known field"}"#))
    }

    @Test func aMalformedMultipartBodyIs400NotACrash() async throws {
        let cut = Array("--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nCov".utf8)
        let answer = await Self.answer(Self.request("/uploads", cut, contentType: "multipart/form-data; boundary=XyZ"))
        #expect(answer.status == 400)
        #expect(answer.body.contains("it ends before its closing boundary delimiter"))
        let noBoundary = await Self.answer(Self.request("/uploads", Self.multipart([]), contentType: "multipart/form-data"))
        #expect(noBoundary.status == 400)
        #expect(noBoundary.body.contains("no boundary parameter"))
    }

    // MARK: several media types

    @Test func theHandlerLearnsWhichMediaTypeCameIn() async {
        let json = await Self.answer(Self.request("/notes", Array(#"{"text":"hi"}"#.utf8), contentType: "application/json"))
        #expect(json.body == #"{"text":"json:hi"}"#)
        let text = await Self.answer(Self.request("/notes", Array("hi".utf8), contentType: "text/plain", accept: "text/plain"))
        #expect(text.body == "text:hi")
        #expect(text.contentType == "text/plain; charset=utf-8")
        let other = await Self.answer(Self.request("/notes", Array("hi".utf8), contentType: "image/png"))
        #expect(other.status == 415)
        #expect(other.body.contains("the body must be application/json or text/plain, not image/png"))
    }

    @Test func eachMediaTypeIsCheckedByItsOwnSchema() async {
        let long = await Self.answer(Self.request("/notes", Array(String(repeating: "x", count: 21).utf8), contentType: "text/plain"))
        #expect(long.status == 400)
    }

    @Test(arguments: [
        (nil, "application/json"), ("text/plain", "text/plain; charset=utf-8"), ("text/*;q=0.9, application/json;q=0.5", "text/plain; charset=utf-8"),
        ("*/*", "application/json"), ("text/plain;q=0.5, application/json;q=0.5", "application/json"),
    ] as [(String?, String)])
    func theAnswerIsTheOneAcceptPrefers(accept: String?, expected: String) async {
        let answer = await Self.answer(Self.request("/notes", Array(#"{"text":"a"}"#.utf8), contentType: "application/json", accept: accept))
        #expect(answer.status == 200)
        #expect(answer.contentType == expected)
    }

    @Test func nothingAcceptableIs406() async {
        let answer = await Self.answer(Self.request("/notes", Array(#"{"text":"a"}"#.utf8), contentType: "application/json", accept: "image/png, text/plain;q=0"))
        #expect(answer.status == 406)
        #expect(answer.contentType == "application/problem+json")
        #expect(answer.body.contains("the Accept header allows none of application/json, text/plain"))
    }

    // MARK: unions and recursive schemas

    @Test func aOneOfWithoutDiscriminatorNeedsExactlyOneVariant() async {
        let circle = await Self.answer(Self.request("/shapes", Array(#"{"shape":{"radius":2},"label":7}"#.utf8), contentType: "application/json"))
        #expect(circle.body == #"{"label":7,"shape":{"radius":2}}"#)
        let neither = await Self.answer(Self.request("/shapes", Array(#"{"shape":{"edge":2}}"#.utf8), contentType: "application/json"))
        #expect(neither.status == 400)
        #expect(neither.body.contains("must match exactly one of its 2 variants, matches none"))
    }

    @Test func anAnyOfTakesTheFirstVariantThatAccepts() async {
        let text = await Self.answer(Self.request("/shapes", Array(#"{"shape":{"side":1},"label":"x"}"#.utf8), contentType: "application/json"))
        #expect(text.body == #"{"label":"x","shape":{"side":1}}"#)
        let bad = await Self.answer(Self.request("/shapes", Array(#"{"shape":{"side":1},"label":true}"#.utf8), contentType: "application/json"))
        #expect(bad.status == 400)
        #expect(bad.body.contains("must match at least one of its 2 variants"))
    }

    @Test func aRecursiveBodyIsValidatedAndDecodedToAnyDepth() async {
        let tree = #"{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}],"parent":{"name":"p"},"link":{"target":{"name":"t"}}}"#
        let answer = await Self.answer(Self.request("/trees", Array(tree.utf8), contentType: "application/json"))
        #expect(answer.status == 200)
        #expect(answer.body == "5")
        let deepBad = #"{"name":"a","children":[{"name":"b","children":[{"nom":"c"}]}]}"#
        let bad = await Self.answer(Self.request("/trees", Array(deepBad.utf8), contentType: "application/json"))
        #expect(bad.status == 400)
        #expect(bad.body.contains(#""field":"body.children[0].children[0].name""#))
    }

    @Test func aBoxedValueEncodesAndDecodesLikeAnyOther() throws {
        let node = Components.Schemas.TreeNode(name: "a", children: [Components.Schemas.TreeNode(name: "b")], link: Components.Schemas.TreeLink(target: Components.Schemas.TreeNode(name: "t")))
        let data = try JSONEncoder().encode(node)
        #expect(String(decoding: data, as: UTF8.self).contains(#""link":{"target":{"name":"t"}}"#))
        #expect(try JSONDecoder().decode(Components.Schemas.TreeNode.self, from: data) == node)
    }

    @Test func aBoxedPropertyKeepsValueSemantics() {
        var node = Components.Schemas.TreeNode(name: "a", parent: Components.Schemas.TreeNode(name: "p"))
        let copy = node
        node.parent?.name = "q"
        #expect(copy.parent?.name == "p")
        #expect(node.parent?.name == "q")
        #expect(node != copy)
    }
}
