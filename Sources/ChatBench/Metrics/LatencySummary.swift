/// The percentiles a report shows, in milliseconds.
struct LatencySummary: Sendable, Codable {
    var p50Milliseconds: Double
    var p99Milliseconds: Double
    var maxMilliseconds: Double
}
