import Testing
@testable import HTTPServer

/// `HTTPRequest.path` and `query` in each request-target form (RFC 9112 §3.2).
@Suite struct RequestTargetTests {
    static func make(_ target: String, method: String = "GET") -> HTTPRequest {
        HTTPRequest(method: method, target: target)
    }

    @Test(arguments: [
        ("/chat/ping", "/chat/ping", nil),
        ("/chat/x/messages?limit=5", "/chat/x/messages", "limit=5"),
        ("http://127.0.0.1:3000/chat/ping", "/chat/ping", nil),
        ("HTTP://h/chat/x/messages?limit=5&after=1", "/chat/x/messages", "limit=5&after=1"),
        ("https://user@h:1/a?b?c", "/a", "b?c"),
        ("http://h", "/", nil),
        ("http://h?x=1", "/", "x=1"),
        ("*", "*", nil),
    ] as [(String, String, String?)])
    func pathAndQueryComeFromTheOriginFormPart(target: String, path: String, query: String?) {
        let request = Self.make(target)
        #expect(request.target == target)
        #expect(request.path == path)
        #expect(request.query.map(String.init) == query)
    }

    @Test func formsAreRecognised() {
        #expect(RequestTarget.form(of: "/") == .origin)
        #expect(RequestTarget.form(of: "http://h/x") == .absolute)
        #expect(RequestTarget.form(of: "*") == .asterisk)
        #expect(RequestTarget.form(of: "h:80") == nil)
        #expect(RequestTarget.form(of: "http:/x") == nil)
        #expect(RequestTarget.form(of: "mailto:a@b") == nil)
    }
}
