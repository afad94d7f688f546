/// Everything one invocation measured.
struct BenchReport: Sendable, Codable {
    var target: String
    /// Event-loop threads the tool used.
    var threads: Int
    var requests: [RequestsResult] = []
    var fanout: [FanoutResult] = []
    var capacity: [CapacityResult] = []
    var codegen: [CodegenResult] = []

    /// What went wrong (loss, errors, streams that failed), empty when the run is clean.
    var failures: [String] {
        var failures: [String] = []
        for result in requests where result.errors > 0 {
            failures.append("\(result.route): \(result.errors) errors (first: \(result.firstError ?? "?"))")
        }
        for result in fanout where !result.isClean {
            failures.append("fanout \(result.subscribers) subscribers / \(result.lobbies) \(result.lobbies == 1 ? "lobby" : "lobbies"): lost (missing at the end) \(result.lost), duplicates \(result.duplicates), reordered \(result.reordered), resyncs \(result.resyncs), streams ended \(result.streamsEnded), post errors \(result.postErrors), deliveries \(result.deliveries) of \(result.expectedDeliveries)" + (result.firstError.map { " (first error: \($0))" } ?? ""))
        }
        for result in capacity where !result.isClean {
            failures.append("capacity: \(result.opened) of \(result.streams) opened, \(result.endedWhileHeld) ended while held, \(result.receivedCheck) got the check message" + (result.firstError.map { " (first error: \($0))" } ?? ""))
        }
        return failures
    }
}

extension BenchReport {
    /// Appends another report's rows to this one's.
    mutating func merge(_ other: BenchReport) {
        requests += other.requests
        fanout += other.fanout
        capacity += other.capacity
        codegen += other.codegen
    }
}
