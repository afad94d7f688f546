/// What the typing scenario measured: the same load without and with streams, and from the two
/// the server's CPU per typing request and per delivery.
struct TypingResult: Sendable, Codable {
    /// One phase of the load.
    struct Phase: Sendable, Codable {
        var requests: Int
        var errors: Int
        var firstError: String?
        /// Requests sent more than 1 ms after they were due.
        var late: Int
        /// `typing` events the streams received.
        var deliveries: Int
        /// Answered requests times streams per lobby.
        var expectedDeliveries: Int
        var latency: LatencySummary
        var cpu: CPUUsage
    }

    var lobbies: Int
    var ratePerLobby: Double
    var typersPerLobby: Int
    var streamsPerLobby: Int
    var withoutStreams: Phase
    var withStreams: Phase

    /// The server's CPU per typing request with nobody to deliver to, in microseconds.
    var serverMicrosecondsPerRequest: Double? {
        guard let seconds = withoutStreams.cpu.serverSeconds, withoutStreams.requests > 0 else { return nil }
        return seconds / Double(withoutStreams.requests) * 1e6
    }

    /// What the streams added, per delivery: the second phase's CPU less its requests' cost.
    var serverMicrosecondsPerDelivery: Double? {
        guard let perRequest = serverMicrosecondsPerRequest, let seconds = withStreams.cpu.serverSeconds, withStreams.deliveries > 0 else { return nil }
        return (seconds * 1e6 - perRequest * Double(withStreams.requests)) / Double(withStreams.deliveries)
    }

    /// A markdown table of both phases.
    var table: String {
        var lines = [
            "| phase | requests | errors | late | deliveries (expected) | p50 ms | p99 ms | server CPU s | µs/request | µs/delivery |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for (name, phase) in [("no streams", withoutStreams), ("\(streamsPerLobby) streams per lobby", withStreams)] {
            let server = phase.cpu.serverSeconds
            let perRequest = server.map { Format.number($0 / Double(max(1, phase.requests)) * 1e6) } ?? "–"
            let perDelivery = phase.deliveries > 0 ? serverMicrosecondsPerDelivery.map(Format.number) ?? "–" : "–"
            lines.append("| \(name) | \(phase.requests) | \(phase.errors) | \(phase.late) | \(phase.deliveries) (\(phase.expectedDeliveries)) | "
                + "\(Format.milliseconds(phase.latency.p50Milliseconds)) | \(Format.milliseconds(phase.latency.p99Milliseconds)) | "
                + "\(server.map(Format.number) ?? "–") | \(perRequest) | \(perDelivery) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
