/// Bodies in several media types: the input's `Body` enum (which one came in), and a response's
/// `…Body` enum (which one to answer, negotiated with the request's `Accept`).
extension OperationsRenderer {
    /// The input's `Body`: a case per media type the request may be in.
    static func bodyEnum(_ body: RequestBody, _ names: GeneratedNames) -> SwiftCode {
        .group([
            .doc("The body, in the media type it came in (the request's `Content-Type`)."),
            .block("public enum Body: Swift.Sendable", body.media.map { media in
                .group([.doc("`\(media.mediaType)`"), .line("case \(media.caseName)(\(bodyValueType(media, names)))")])
            }),
        ])
    }

    /// The name of the enum of a negotiated response's representations (`OkBody`).
    static func negotiatedBodyType(_ response: Response) -> String {
        SwiftNames.type(caseName(response)) + "Body"
    }

    /// A negotiated response's representations: a case per media type; `preferred(by:…)`
    /// builds the one the request's `Accept` prefers; the router answers 406 for one it does
    /// not accept.
    static func negotiatedBody(_ response: Response, _ names: GeneratedNames) -> SwiftCode? {
        guard response.hasSeveralMediaTypes else { return nil }
        let cases = zip(response.caseNames, response.contents).map { (name: $0, content: $1, type: payloadType($1, names)) }
        let literals = cases.map { SwiftNames.literal($0.content.mediaType) }
        let label = { (name: String) in name.filter { $0 != "`" } }
        let choices: [SwiftCode] = cases.enumerated().dropFirst().map { index, representation in
            .line("case \(index)?: .\(representation.name)(\(label(representation.name))())")
        } + [.line("default: .\(cases[0].name)(\(label(cases[0].name))())")]
        return .group([
            .blank,
            .doc("The representations of the \(response.pattern) response, one per media type; the router answers 406 when the request's `Accept` does not allow the one given."),
            .block("public enum \(negotiatedBodyType(response)): APIRuntime.NegotiatedBody", cases.map {
                .group([.doc("`\($0.content.mediaType)`"), .line("case \($0.name)(\($0.type))")])
            } + [
                .blank,
                .doc("The media types, in the spec's order."),
                .line("public static let mediaTypes = [\(literals.joined(separator: ", "))]"),
                .blank,
                .doc("The media type of this representation."),
                .block("public var mediaType: Swift.String", [
                    .switchBlock("self", zip(cases, literals).map { .line("case .\($0.name): \($1)") }),
                ]),
                .blank,
                .doc("""
                    The representation `accept` prefers (the spec's order on a tie; the first when none is \
                    acceptable, which the router answers 406). Only the chosen one is built.
                    """),
                .block("public static func preferred(by accept: APIRuntime.AcceptedMediaTypes, " + cases.map {
                    "\(label($0.name)): @autoclosure () -> \($0.type)"
                }.joined(separator: ", ") + ") -> Self", [
                    .switchBlock("accept.preferred(among: mediaTypes)", choices),
                ]),
                .blank,
                .doc("This representation with `status`."),
                .block("public func response(_ status: Swift.Int, options: APIRuntime.RouterOptions) -> APIRuntime.HTTPResponse", [
                    .switchBlock("self", cases.map {
                        .line("case .\($0.name)(let body): \(bodyEncoding($0.content, status: "status"))")
                    }),
                ]),
            ]),
        ])
    }
}

extension Operation {
    /// Whether a response is offered in several media types, so that the input carries the
    /// request's `Accept` and the output answers by it.
    var negotiatesResponses: Bool { responses.contains(where: \.hasSeveralMediaTypes) }
}
