import HTTPServer

/// Code that runs around every request a generated router answers, told which operation the
/// router matched: the shape of swift-openapi-runtime's `ServerMiddleware` (request, operation
/// id, next), so metrics, limits or failure injection key on the operation instead of matching
/// the path again.
///
/// The router matches the path once, before the first middleware; the operation is fixed from
/// then on (a middleware that changes the request's path does not re-route it).
public protocol ServerMiddleware: Sendable {
    /// Answers `request`, usually by calling `next` (the next middleware, or the operation
    /// itself) and returning or amending its answer. `operationID` is the spec's `operationId`
    /// of the operation the router matched (`HEAD` as `GET`); nil when none takes the request
    /// (unknown path, other method, `OPTIONS`). An error thrown here is answered as one the
    /// operation's handler threw (`RouterResponses.thrown`).
    func intercept(
        _ request: HTTPRequest, operationID: String?,
        next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse
}

extension RouterResponses {
    /// Runs `middlewares` around `answer`, the first outermost. Every `next` is a non-escaping
    /// closure, so the chain allocates nothing on the heap.
    public static func intercepted(
        _ request: HTTPRequest, operationID: String?, by middlewares: [any ServerMiddleware],
        answer: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        try await intercepted(request, operationID, middlewares[...], answer)
    }

    private static func intercepted(
        _ request: HTTPRequest, _ operationID: String?, _ middlewares: ArraySlice<any ServerMiddleware>,
        _ answer: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard let first = middlewares.first else { return try await answer(request) }
        return try await first.intercept(request, operationID: operationID) { request in
            try await intercepted(request, operationID, middlewares.dropFirst(), answer)
        }
    }

    /// What a middleware threw for a request no operation takes: its problem when it is one,
    /// else a 500 that is reported (as `thrown(_:by:as:request:options:)` does for an operation).
    public static func thrown(_ error: any Error, request: HTTPRequest, options: RouterOptions) -> HTTPResponse {
        thrown(error, by: "none", as: NoOperation.self, request: request, options: options)
    }

    /// The output of no operation: nothing documented, so a problem is answered as itself
    /// only when it is a 429 or 503, like any operation's undocumented ones.
    private enum NoOperation: OperationOutput {
        static var documentedStatuses: [Int] { [] }
        init?(problem: ProblemDetails) { nil }
        func response(_ options: RouterOptions) -> HTTPResponse { switch self {} }
    }
}
