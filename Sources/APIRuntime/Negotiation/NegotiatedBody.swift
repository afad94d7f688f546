import HTTPServer

/// A response body that the spec offers in several media types: a generated enum with a case per
/// media type, each carrying its representation. The handler picks a case, itself or with the
/// enum's `preferred(by:…)`, which builds only the representation the request's `Accept` prefers.
public protocol NegotiatedBody: Sendable {
    /// The media types, in the spec's order.
    static var mediaTypes: [String] { get }
    /// The media type of this case.
    var mediaType: String { get }
    /// This representation as a response with `status`.
    func response(_ status: Int, options: RouterOptions) -> HTTPResponse
}

extension ProblemKind {
    /// The request's `Accept` allows none of the media types the answer has (406).
    public static let notAcceptable: ProblemKind = "not-acceptable"
}

extension ResponseEncoding {
    /// `body` with `status`, or a 406 problem naming the media types on offer when `accept`
    /// does not allow the one it is in.
    public static func negotiated(_ status: Int, _ body: some NegotiatedBody, accept: AcceptedMediaTypes, options: RouterOptions) -> HTTPResponse {
        guard accept.accepts(body.mediaType) else { return notAcceptable(type(of: body).mediaTypes, options: options) }
        return body.response(status, options: options)
    }

    /// The 406 problem: nothing on offer is acceptable.
    public static func notAcceptable(_ mediaTypes: [String], options: RouterOptions) -> HTTPResponse {
        options.problems.response(
            ProblemDetails(
                kind: .notAcceptable, status: HTTPStatus(code: 406, reasonPhrase: "Not Acceptable"),
                detail: "the Accept header allows none of \(mediaTypes.joined(separator: ", "))"))
    }
}
