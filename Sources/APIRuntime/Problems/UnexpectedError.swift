/// An answer that is the server's fault, reported through `RouterOptions.onUnexpectedError`:
/// the client got a 500 `internal-error` problem naming only `requestId`.
public struct UnexpectedError: Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Cause: Sendable {
        /// The handler threw a problem whose status its operation does not document: a bug in
        /// the server (the handler, or the spec, is missing that status).
        case undocumentedProblem(kind: String, status: Int, detail: String)
        /// The handler threw an error that is no problem; the text is the error as Swift
        /// describes it (type and value).
        case error(String)
    }

    /// The `operationId` whose handler threw.
    public var operationId: String
    /// The request's method.
    public var method: String
    /// The request's path, without the query.
    public var path: String
    /// The id sent back in `X-Request-Id`, to match a client's report with this one.
    public var requestId: String
    /// What went wrong.
    public var cause: Cause

    /// A report of `cause` for one request.
    public init(operationId: String, method: String, path: String, requestId: String, cause: Cause) {
        self.operationId = operationId
        self.method = method
        self.path = path
        self.requestId = requestId
        self.cause = cause
    }

    /// One line for a log, saying what happened and where.
    public var description: String {
        let request = "\(method) \(path), request id \(requestId)"
        switch cause {
        case .undocumentedProblem(let kind, let status, let detail):
            return "bug: \(operationId) threw a \(status) '\(kind)' problem, a status it does not document "
                + "(answered 500; \(request)): \(detail)"
        case .error(let text):
            return "\(operationId) failed with an unexpected error (answered 500; \(request)): \(text)"
        }
    }
}
