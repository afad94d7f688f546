import Testing
@testable import RouteGenCore

/// `securitySchemes` and `security`: the router finds the credential or answers 401 with
/// `WWW-Authenticate`; the handler gets it typed.
@Suite struct SecurityTests {
    static let schemes = """

          securitySchemes:
            token:
              type: http
              scheme: bearer
            login:
              type: http
              scheme: basic
            key:
              type: apiKey
              in: cookie
              name: session
        """

    static func spec(security: String) -> String {
        makeSpec(paths: """
              /items:
                get:
                  operationId: listItems
                  security: \(security)
                  responses:
                    '204':
                      description: Nothing.
            """, schemas: "    Unused:\n      type: object\n") + schemes
    }

    @Test func theCredentialIsATypedCaseOfTheSchemesTheOperationTakes() throws {
        let document = try load(Self.spec(security: "[{token: []}, {login: []}, {}]"))
        let operations = SwiftCode.render(OperationsRenderer.render(document))
        #expect(operations.contains("""
                    public enum Credential: Swift.Sendable, Swift.Hashable {
                        /// `token`
                        case token(Swift.String)
                        /// `login`
                        case login(APIRuntime.BasicCredential)
                        /// No credential came (the operation allows that).
                        case anonymous
                    }
            """))
        #expect(operations.contains("public init(credential: Credential) {"))
        let router = SwiftCode.render(RouterRenderer.render(document))
        #expect(router.contains("""
                    if let value = Authentication.bearer(request) {
                        credential = .token(value)
                    } else if let value = Authentication.basic(request) {
                        credential = .login(value)
                    } else {
                        credential = .anonymous
                    }
            """))
        #expect(router.contains(#"["Content-Type", "Authorization"]"#))
    }

    @Test func aMissingRequiredCredentialIsA401WithAChallengePerScheme() throws {
        let router = SwiftCode.render(RouterRenderer.render(try load(Self.spec(security: "[{token: []}, {key: []}]"))))
        #expect(router.contains(#"} else if let value = Authentication.apiKey(request, in: .cookie, name: "session") {"#))
        #expect(router.contains(#"return RouterResponses.unauthorized(challenges: ["Bearer realm=\"Test\"", "APIKey in=\"cookie\", name=\"session\""], options: options)"#))
    }

    @Test func oauthIsABearerTokenAndSeveralSchemesAtOnceCheckTheFirstWithWarnings() throws {
        let oauth = Self.spec(security: "[{token: []}]").replacingOccurrences(of: "type: http\n      scheme: bearer", with: "type: oauth2")
        #expect(warningsOrErrors(of: oauth) == [
            "api.yaml:20:13: warning: 'oauth2' scheme 'token' is read as a bearer token (Authorization: Bearer): the handler gets the token and checks its scopes itself",
        ])
        #expect(onlyDiagnostic(of: Self.spec(security: "[{nobody: []}]")) == "api.yaml:9:19: error: security requirement 'nobody' names no security scheme")
        #expect(warningsOrErrors(of: Self.spec(security: "[{token: [], login: []}]")) == [
            "api.yaml:9:18: warning: a security requirement naming several schemes at once: only 'token' is checked, the others are the handler's to check",
        ])
    }
}
