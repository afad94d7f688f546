import HTTPServer

/// What a generated router does beyond the spec: CORS, how problems are written, and where
/// server bugs are reported.
public struct RouterOptions: Sendable {
    /// The origins CORS allows: `["*"]` any (every response says `*`); a list of exact
    /// origins (`https://chat.example`), each echoed to a request that comes from it, with
    /// `Vary: Origin`; empty sends no CORS headers. Default `["*"]`.
    public var allowedOrigins: [String]
    /// `Access-Control-Max-Age` on preflight answers, in seconds. Default 600.
    public var preflightMaxAge: Int
    /// Writes every problem the router answers with, its own and the handler's. Default: the
    /// transport's default (`ProblemEncoder.unconfigured`, types under `/problems/`); an
    /// application passes the same encoder it gives the transport.
    public var problems: ProblemEncoder
    /// Told about every answer that is the server's fault: a handler threw an error that is no
    /// problem, or a problem whose status its operation does not document. Called on the
    /// request's task; must not block. Default nil: not reported.
    public var onUnexpectedError: (@Sendable (UnexpectedError) -> Void)?
    /// Whether an operation whose `security` takes no `{}` answers 401 when no credential came.
    /// False runs the API open (a trusted network): the handler gets `Credential.anonymous` and
    /// decides. Default true, as the spec says.
    public var requiresCredentials: Bool
    /// The most parts a `multipart/form-data` body may have; more is a 400. Default 100. (Its
    /// bytes are bounded by the transport's `HTTPLimits.maxBodyBytes`.)
    public var maxMultipartParts: Int = 100

    /// Options; every parameter has its documented default.
    public init(
        allowedOrigins: [String] = ["*"], preflightMaxAge: Int = 600,
        problems: ProblemEncoder = .unconfigured,
        onUnexpectedError: (@Sendable (UnexpectedError) -> Void)? = nil, requiresCredentials: Bool = true
    ) {
        self.allowedOrigins = allowedOrigins
        self.preflightMaxAge = preflightMaxAge
        self.problems = problems
        self.onUnexpectedError = onUnexpectedError
        self.requiresCredentials = requiresCredentials
    }
}
