/// RouteGen's time on a spec.
struct CodegenResult: Sendable, Codable {
    var spec: String
    var specBytes: Int
    var runs: Int
    var loadMedianMilliseconds: Double
    var generateMedianMilliseconds: Double
    var totalMedianMilliseconds: Double
    var totalMinMilliseconds: Double
    /// Bytes of Swift generated.
    var generatedBytes: Int
}
