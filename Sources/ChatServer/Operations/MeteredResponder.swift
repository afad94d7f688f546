import APIRuntime
import ChatAPI
import Dispatch
import HTTPServer

/// Counts and times every request by operation and status, then passes it on.
struct MeteredResponder: HTTPResponder {
    let next: any HTTPResponder
    let metrics: ChatMetrics
    let labels: OperationLabels

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = await next.respond(to: request)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        metrics.recordRequest(operation: labels.label(for: request), status: Int(response.status.code), nanoseconds: Int64(elapsed))
        return response
    }
}

/// With `--no-metrics`: `/metrics` is answered as an unknown path (the router's own 404), every
/// other request passes on.
struct MetricsDisabled: HTTPResponder {
    let next: any HTTPResponder
    let options: RouterOptions

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard request.path == Operations.GetMetrics.path else { return await next.respond(to: request) }
        return RouterResponses.withCORS(RouterResponses.notFound(request, options: options), for: request, options: options)
    }
}
