import HTTPServer

extension RouterResponses {
    /// The answer when an operation's handler throws `error`.
    ///
    /// - A `ProblemConvertible` error is answered with its problem, as the `Output` case its
    ///   status documents, with the error's `responseHeaders`. A status the operation does not
    ///   document is a bug in the server: 500, reported.
    /// - A `service-unavailable` problem (an engine down, a limit reached) is a 503 on every
    ///   path, as the conventions say, with `Retry-After` (1 unless the error gives one), and a
    ///   429 (`too-many-requests`, a rate limit) likewise, whether or not the operation lists it
    ///   (api.yaml lists both on every operation, through its shared responses).
    /// - `CancellationError` (the client went away): 503, not reported.
    /// - Anything else: 500 `internal-error` that says nothing about the error, reported with
    ///   the request's method, path and id.
    ///
    /// Each 500 carries `X-Request-Id`, the id its report names.
    public static func thrown<Output: OperationOutput>(
        _ error: any Error, by operationId: String, as output: Output.Type, request: HTTPRequest, options: RouterOptions
    ) -> HTTPResponse {
        let cause: UnexpectedError.Cause
        switch error {
        case let convertible as any ProblemConvertible:
            let problem = convertible.problem
            var headers = convertible.responseHeaders
            let isBusy = problem.status == .serviceUnavailable || problem.status == .tooManyRequests
            if isBusy, !headers.contains("Retry-After") { headers.set("Retry-After", "1") }
            if let documented = Output(problem: problem) {
                return adding(headers, to: documented.response(options))
            }
            if isBusy { return options.problems.response(problem, headers: headers) }
            cause = .undocumentedProblem(kind: problem.kind.rawValue, status: problem.status.code, detail: problem.detail)
        case is CancellationError:
            return options.problems.response(
                ProblemDetails(kind: .serviceUnavailable, status: .serviceUnavailable, detail: "the request was cancelled"))
        default:
            cause = .error(String(reflecting: error))
        }
        let requestId = RequestID.of(request)
        options.onUnexpectedError?(UnexpectedError(
            operationId: operationId, method: request.method, path: String(request.path), requestId: requestId, cause: cause))
        let problem = ProblemDetails(
            kind: .internalError, status: .internalServerError,
            detail: "the server could not answer this request (request id \(requestId))")
        return options.problems.response(problem, headers: [RequestID.headerName: requestId])
    }

    /// `response` with `headers` it does not already set.
    private static func adding(_ headers: HTTPHeaders, to response: HTTPResponse) -> HTTPResponse {
        var response = response
        for field in headers where !response.headers.contains(field.name) { response.headers.add(field.name, field.value) }
        return response
    }
}
