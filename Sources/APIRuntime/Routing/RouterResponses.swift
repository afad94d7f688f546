import HTTPServer

/// The answers a generated router gives on its own: unknown paths, wrong methods, preflight.
public enum RouterResponses {
    /// 404 for a path no template matches.
    public static func notFound(_ request: HTTPRequest, options: RouterOptions) -> HTTPResponse {
        options.problems.response(ProblemDetails(kind: .notFound, status: .notFound, detail: "no route for \(request.path)"))
    }

    /// 405 with `Allow` for a known path and an unknown method.
    public static func methodNotAllowed(_ request: HTTPRequest, allowed: [String], options: RouterOptions) -> HTTPResponse {
        let allow = allowed.joined(separator: ", ")
        let problem = ProblemDetails(
            kind: .methodNotAllowed, status: .methodNotAllowed,
            detail: "\(request.method) is not allowed on \(request.path); allowed: \(allow)")
        return options.problems.response(problem, headers: ["Allow": allow])
    }

    /// 204 for a CORS preflight (or plain `OPTIONS`) on a known path.
    public static func preflight(allowed: [String], headers: [String], options: RouterOptions) -> HTTPResponse {
        var response = HTTPResponse(status: .noContent)
        response.headers.add("Allow", allowed.joined(separator: ", "))
        if !options.allowedOrigins.isEmpty {
            response.headers.add("Access-Control-Allow-Methods", allowed.joined(separator: ", "))
            response.headers.add("Access-Control-Allow-Headers", headers.joined(separator: ", "))
            response.headers.add("Access-Control-Max-Age", String(options.preflightMaxAge))
        }
        return response
    }

    /// The answer when the input is not acceptable (`InputReader.failure()`).
    public static func invalidInput(_ problem: ProblemDetails, options: RouterOptions) -> HTTPResponse {
        options.problems.response(problem)
    }

    /// `response` with the CORS headers every response to `request` carries: `*` when any
    /// origin is allowed; else the request's `Origin` when it is one of the allowed (exact
    /// match), and `Vary: Origin` either way, since the answer depends on it.
    public static func withCORS(_ response: HTTPResponse, for request: HTTPRequest, options: RouterOptions) -> HTTPResponse {
        guard !options.allowedOrigins.isEmpty else { return response }
        var response = response
        if options.allowedOrigins.contains("*") {
            response.headers.set("Access-Control-Allow-Origin", "*")
            return response
        }
        let origins = request.headers.values(for: "Origin")
        if origins.count == 1, options.allowedOrigins.contains(origins[0]) {
            response.headers.set("Access-Control-Allow-Origin", origins[0])
        }
        response.headers.add("Vary", "Origin")
        return response
    }
}

extension RouterResponses {
    /// 500, for states generated code cannot reach.
    public static func internalError(options: RouterOptions) -> HTTPResponse {
        options.problems.response(
            ProblemDetails(kind: .internalError, status: .internalServerError, detail: "the server could not answer this request"))
    }
}
