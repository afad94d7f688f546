import ChatAPI
import HTTPServer

extension ChatHandler {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok("ok")
    }

    /// `ready`, or a `service-unavailable` problem (503 with `Retry-After: 1` on every path).
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        guard probe.isReady else { throw ProbeError.notReady }
        return .ok("ready")
    }

    /// Not reached with `--no-metrics`: `MetricsDisabled` answers the path 404 before the router
    /// (a handler without metrics, in tests, answers 503).
    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        guard let metrics = probe.metrics else { throw ProbeError.notReady }
        return .ok(metrics.scrape(server: probe.server, store: probe.store))
    }
}
