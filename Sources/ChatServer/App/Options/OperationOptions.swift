import ArgumentParser
import Logging

/// How the server is run: who may act, how it stops, what it reports and logs.
struct OperationOptions: ParsableArguments {
    private static let defaults = ChatServerConfiguration()

    @Option(help: """
        How a request shows who acts. 'token': join, leave, post and the stream need the user's \
        token from sign-up (401/403 otherwise). 'none': anyone may act as any user id; for \
        trusted networks only.
        """)
    var auth = Self.defaults.authentication

    @Option(help: "Time shutdown may take in all: handlers in flight, then delivering queued events.")
    var shutdownTimeout = Self.defaults.shutdownDeadline.seconds

    @Option(help: "What every problem 'type' starts with; the kind follows ('…/not-found').")
    var problemTypeBase = Self.defaults.problemTypeBase

    @Flag(inversion: .prefixedNo, help: "Count requests and answer GET /metrics; --no-metrics answers it 404.")
    var metrics = Self.defaults.metricsEnabled

    @Flag(inversion: .prefixedNo, help: "Limit GET /metrics per client address like any route; --no-limit-metrics exempts it, as the health probes are.")
    var limitMetrics = Self.defaults.metricsRateLimited

    @Option(help: "trace, debug, info, notice, warning, error or critical; debug logs every request.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if !(shutdownTimeout > 0) { throw ValidationError("--shutdown-timeout must be positive") }
        if problemTypeBase.isEmpty || problemTypeBase.contains(where: \.isWhitespace) {
            throw ValidationError("--problem-type-base must be a URI (no spaces), such as https://example.com/problems/")
        }
    }

    /// Sets authentication, shutdown, problems and metrics.
    func apply(to configuration: inout ChatServerConfiguration) {
        configuration.authentication = auth
        configuration.shutdownDeadline = .seconds(shutdownTimeout)
        configuration.problemTypeBase = problemTypeBase
        configuration.metricsEnabled = metrics
        configuration.metricsRateLimited = limitMetrics
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension AuthenticationMode: ExpressibleByArgument {}
