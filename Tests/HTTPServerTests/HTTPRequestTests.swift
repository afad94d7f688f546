import Testing
import HTTPServer

@Suite struct HTTPRequestTests {
    @Test func splitsTheTargetIntoPathAndQuery() {
        let request = HTTPRequest(method: "GET", target: "/chat/caf%C3%A9/messages?limit=5&after=2")
        #expect(request.path == "/chat/caf%C3%A9/messages")
        #expect(request.query == "limit=5&after=2")
        #expect(HTTPRequest(method: "GET", target: "/plain").query == nil)
        #expect(HTTPRequest(method: "GET", target: "/empty?").query == "")
        #expect(HTTPRequest(method: "GET", target: "/a?b?c").query == "b?c")
    }
}
