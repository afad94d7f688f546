/// One route's figures in the requests scenario.
struct RequestsResult: Sendable, Codable {
    /// E.g. `GET /chat/ping`.
    var route: String
    var connections: Int
    /// Responses received (any status).
    var requests: Int
    var requestsPerSecond: Double
    var latency: LatencySummary
    /// Responses other than 2xx, plus requests whose connection broke.
    var errors: Int
    /// The first error, for the reader.
    var firstError: String?
    var cpu: CPUUsage
}
