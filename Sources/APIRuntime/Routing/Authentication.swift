import Foundation
import HTTPServer

/// Where an API key travels.
public enum APIKeyPlace: String, Sendable {
    case header, query, cookie
}

/// A user name and password from `Authorization: Basic …`.
public struct BasicCredential: Sendable, Hashable {
    public var user: String
    public var password: String

    public init(user: String, password: String) {
        self.user = user
        self.password = password
    }
}

/// Reads the credentials an operation's `security` names from a request. It only finds them:
/// checking one is the handler's job. A malformed credential counts as none.
public enum Authentication {
    /// The token of `Authorization: Bearer <token>` (the scheme's name in any case).
    public static func bearer(_ request: HTTPRequest) -> String? {
        credentials(request, scheme: "bearer")
    }

    /// The user and password of `Authorization: Basic <base64 of user:password>`.
    public static func basic(_ request: HTTPRequest) -> BasicCredential? {
        guard let encoded = credentials(request, scheme: "basic"), let data = Data(base64Encoded: encoded),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        return BasicCredential(user: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    /// The API key `name` in the header, the query or the `Cookie` header; an empty one counts as none.
    public static func apiKey(_ request: HTTPRequest, in place: APIKeyPlace, name: String) -> String? {
        let value: String?
        switch place {
        case .header: value = request.headers[name]
        case .query: value = QueryParameters(request.query)[name]
        case .cookie: value = cookie(request, name)
        }
        return value?.isEmpty == false ? value : nil
    }

    /// The one `Authorization` value's credentials after `scheme` and a space.
    private static func credentials(_ request: HTTPRequest, scheme: String) -> String? {
        let values = request.headers.values(for: "Authorization")
        guard values.count == 1 else { return nil }
        let parts = values[0].split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == scheme else { return nil }
        let credentials = parts[1].trimmingWhitespace()
        return credentials.isEmpty ? nil : credentials
    }

    /// The value of cookie `name` in the request's `Cookie` headers.
    private static func cookie(_ request: HTTPRequest, _ name: String) -> String? {
        for header in request.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return String(parts[1]).trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}

extension ProblemKind {
    /// A credential the operation requires is missing (401).
    public static let unauthorized: ProblemKind = "unauthorized"
}

extension RouterResponses {
    /// 401 when no credential the operation's `security` names came: a problem, with one
    /// `WWW-Authenticate` challenge per scheme it takes.
    public static func unauthorized(challenges: [String], options: RouterOptions) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        for challenge in challenges { headers.add("WWW-Authenticate", challenge) }
        return options.problems.response(
            ProblemDetails(
                kind: .unauthorized, status: HTTPStatus(code: 401),
                detail: "this operation needs a credential: \(challenges.joined(separator: " or "))"),
            headers: headers)
    }
}
