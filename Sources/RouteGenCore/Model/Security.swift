/// A `components.securitySchemes` entry RouteGen reads.
public struct SecurityScheme: Sendable {
    /// How the credential travels.
    public enum Kind: Sendable, Equatable {
        /// `type: http, scheme: bearer`: `Authorization: Bearer <token>`.
        case bearer
        /// `type: http, scheme: basic`: `Authorization: Basic <user:password>`.
        case basic
        /// `type: apiKey`: a key in a header, the query or a cookie.
        case apiKey(place: String, name: String)
    }

    public var name: String
    public var kind: Kind
    public var location: SourceLocation

    /// `text` as an HTTP quoted-string.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The `WWW-Authenticate` challenge a 401 names it with.
    public func challenge(realm: String) -> String {
        switch kind {
        case .bearer: "Bearer realm=\(Self.quoted(realm))"
        case .basic: "Basic realm=\(Self.quoted(realm))"
        case .apiKey(let place, let name): "APIKey in=\"\(place)\", name=\(Self.quoted(name))"
        }
    }
}
