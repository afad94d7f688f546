import HTTPServer
import Testing
@testable import APIRuntime

/// Finding credentials; a malformed one counts as none.
@Suite struct AuthenticationTests {
    static func request(_ headers: [(String, String)], target: String = "/x") -> HTTPRequest {
        var fields: HTTPHeaders = [:]
        for (name, value) in headers { fields.add(name, value) }
        return HTTPRequest(method: "GET", target: target, headers: fields)
    }

    @Test func bearerTokensAndBasicCredentialsAreRead() {
        #expect(Authentication.bearer(Self.request([("Authorization", "bearer abc.def")])) == "abc.def")
        #expect(Authentication.bearer(Self.request([("Authorization", "Bearer ")])) == nil)
        #expect(Authentication.bearer(Self.request([("Authorization", "Basic abc")])) == nil)
        // "ann:se:cret"
        #expect(Authentication.basic(Self.request([("Authorization", "Basic YW5uOnNlOmNyZXQ=")])) == BasicCredential(user: "ann", password: "se:cret"))
        #expect(Authentication.basic(Self.request([("Authorization", "Basic !!!")])) == nil)
    }

    @Test func apiKeysAreFoundInTheirPlace() {
        #expect(Authentication.apiKey(Self.request([("X-Key", "k1")]), in: .header, name: "X-Key") == "k1")
        #expect(Authentication.apiKey(Self.request([], target: "/x?key=k2"), in: .query, name: "key") == "k2")
        #expect(Authentication.apiKey(Self.request([("Cookie", "a=1; session=k3")]), in: .cookie, name: "session") == "k3")
        #expect(Authentication.apiKey(Self.request([("Cookie", "a=1")]), in: .cookie, name: "session") == nil)
    }

    @Test func theUnauthorizedAnswerChallengesForEachScheme() {
        let response = RouterResponses.unauthorized(challenges: ["Bearer realm=\"x\"", "Basic realm=\"x\""], options: RouterOptions())
        #expect(response.status.code == 401)
        #expect(response.headers.values(for: "WWW-Authenticate") == ["Bearer realm=\"x\"", "Basic realm=\"x\""])
    }
}
