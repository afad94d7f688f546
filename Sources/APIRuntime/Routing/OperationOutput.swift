import HTTPServer

/// What a generated operation's `Output` enum is: one case per documented response, which can
/// be made from a problem and knows how to become a response.
public protocol OperationOutput: Sendable {
    /// The statuses the operation documents, ascending.
    static var documentedStatuses: [Int] { get }

    /// The documented `application/problem+json` case whose status is `problem`'s, carrying it;
    /// nil when the operation documents no problem with that status.
    init?(problem: ProblemDetails)

    /// The response with the status and media type the spec declares; problems are written by
    /// `options.problems`.
    func response(_ options: RouterOptions) -> HTTPResponse
}
