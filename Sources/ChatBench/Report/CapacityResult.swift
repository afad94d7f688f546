/// The capacity scenario: idle streams held open.
struct CapacityResult: Sendable, Codable {
    var streams: Int
    var opened: Int
    /// Time to open them all, in seconds.
    var openSeconds: Double
    var serverRSSBeforeKiB: Int?
    var serverRSSWithStreamsKiB: Int?
    /// Server memory per stream, KiB.
    var serverKiBPerStream: Double?
    var serverFDsBefore: Int?
    var serverFDsWithStreams: Int?
    /// Server descriptors a moment after the tool closed its streams.
    var serverFDsAfterClose: Int?
    /// Seconds the streams were held idle.
    var heldSeconds: Double
    /// Streams that ended while held.
    var endedWhileHeld: Int
    /// Streams that received every check message posted after the hold.
    var receivedCheck: Int
    /// From sending a check post to its arrival on the last stream, median, in milliseconds.
    var checkFanoutMilliseconds: Double
    /// From each check post's answer to its arrival on the last stream, in milliseconds.
    var checkFromAnswerMilliseconds: [Double]?
    /// Their median.
    var checkFromAnswerMedianMilliseconds: Double?
    /// CPU over the check messages alone (all of them).
    var checkCPU: CPUUsage?
    var firstError: String?
    var cpu: CPUUsage
    var goals: [GoalCheck]

    /// True when every stream opened, stayed open and got the check message.
    var isClean: Bool { opened == streams && endedWhileHeld == 0 && receivedCheck == streams }
}
