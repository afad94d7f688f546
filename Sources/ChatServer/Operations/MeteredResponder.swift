import APIRuntime
import ChatAPI
import Dispatch
import HTTPServer

/// Counts and times every request by the operation the router matched ("none" when no operation
/// takes it) and by status, then passes it on: two clock reads and three relaxed atomic adds
/// (`RequestMeters`).
struct MeteredOperations: ServerMiddleware {
    let metrics: ChatMetrics

    /// The label of a request no operation takes (unknown path, other method, `OPTIONS`).
    static let unmatched = RequestMeters.unmatched

    func intercept(
        _ request: HTTPRequest, operationID: String?, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request)
        let elapsed = DispatchTime.now().uptimeNanoseconds - start
        let requests = metrics.requests
        requests.record(row: requests.row(of: operationID), status: Int(response.status.code), nanoseconds: Int(elapsed))
        return response
    }
}

/// With `--no-metrics`: `getMetrics` is answered as an unknown path (the router's own 404), every
/// other request passes on.
struct MetricsDisabled: ServerMiddleware {
    let options: RouterOptions

    func intercept(
        _ request: HTTPRequest, operationID: String?, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        guard operationID == OperationID.getMetrics.rawValue else { return try await next(request) }
        return RouterResponses.notFound(request, options: options)
    }
}
