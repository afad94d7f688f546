import Synchronization

/// What the transport has done since it started, counted where it happens with relaxed atomic
/// adds (no lock, no call out of the transport), and read by whoever wants to report it (an
/// application's `/metrics`). Knows nothing of any application.
public final class TransportCounters: Sendable {
    private let accepted = Atomic(0)
    private let written = Atomic(0)
    private let streamsStarted = Atomic(0)
    private let streamsEnded = Atomic(0)
    private let cutForSlowReading = Atomic(0)
    private let shed = Atomic(0)
    private let refusedPerClient = Atomic(0)

    /// Counters at zero.
    public init() {}

    /// One reading of every counter.
    public struct Snapshot: Sendable, Equatable {
        /// Connections accepted and registered (not those refused with 503).
        public var connectionsAccepted: Int
        /// Bytes the kernel took from `send` on every connection, heads and bodies and streams.
        public var bytesWritten: Int
        /// Streamed responses (event streams) begun.
        public var streamsStarted: Int
        /// Streamed responses whose connection has closed.
        public var streamsEnded: Int
        /// Streams closed because their client read too slowly (`maxStreamOutputBytes` unsent).
        public var streamsCutForSlowReading: Int
        /// Idle connections closed to make room: past a client's idle bound, or for a newcomer
        /// at the connection limit.
        public var connectionsShed: Int = 0
        /// Connections and streams refused (`429`) because their client held its limit.
        public var refusedForClientLimits: Int = 0

        /// Streams open now.
        public var streamsOpen: Int { streamsStarted - streamsEnded }
    }

    /// The counters now (each read on its own: a snapshot taken under load may be off by the
    /// few events between two reads).
    public var snapshot: Snapshot {
        Snapshot(
            connectionsAccepted: accepted.load(ordering: .relaxed), bytesWritten: written.load(ordering: .relaxed),
            streamsStarted: streamsStarted.load(ordering: .relaxed), streamsEnded: streamsEnded.load(ordering: .relaxed),
            streamsCutForSlowReading: cutForSlowReading.load(ordering: .relaxed),
            connectionsShed: shed.load(ordering: .relaxed), refusedForClientLimits: refusedPerClient.load(ordering: .relaxed))
    }

    func connectionAccepted() { accepted.add(1, ordering: .relaxed) }
    func wrote(_ count: Int) { written.add(count, ordering: .relaxed) }
    func streamStarted() { streamsStarted.add(1, ordering: .relaxed) }
    func streamEnded() { streamsEnded.add(1, ordering: .relaxed) }
    func streamCutForSlowReading() { cutForSlowReading.add(1, ordering: .relaxed) }
    func connectionShed() { shed.add(1, ordering: .relaxed) }
    func refusedForClientLimit() { refusedPerClient.add(1, ordering: .relaxed) }
}
