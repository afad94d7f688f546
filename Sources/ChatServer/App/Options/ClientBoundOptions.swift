import ArgumentParser
import HTTPServer

/// What one client (an IPv4 address, an IPv6 /64, or the client a trusted proxy names) may hold.
struct ClientBoundOptions: ParsableArguments {
    private static let defaults = HTTPLimits()

    @Option(help: "Most connections one client (an IPv4 address, an IPv6 /64) may hold open (429 past it); 0 is no bound.")
    var maxConnectionsPerClient = Self.defaults.maxConnectionsPerClient

    @Option(help: "Most connections one client may hold open without sending a request; one more closes the idlest of them; 0 is no bound.")
    var maxIdleConnectionsPerClient = Self.defaults.maxIdleConnectionsPerClient

    @Option(help: "Most streams one client may hold open on this instance (429 past it); 0 is no bound.")
    var maxStreamsPerClient = Self.defaults.maxStreamsPerClient

    @Option(help: "Bytes of request bodies one client's connections may be receiving at once (429 past it, before the body is read); 0 is no bound.")
    var maxBodyBytesPerClient = Self.defaults.maxBodyBytesPerClient

    func validate() throws {
        for (name, value) in [("--max-connections-per-client", maxConnectionsPerClient),
                              ("--max-idle-connections-per-client", maxIdleConnectionsPerClient),
                              ("--max-streams-per-client", maxStreamsPerClient),
                              ("--max-body-bytes-per-client", maxBodyBytesPerClient)]
        where value < 0 {
            throw ValidationError("\(name) must not be negative (0 is no bound)")
        }
    }

    /// Sets these bounds.
    func apply(to limits: inout HTTPLimits) {
        limits.maxConnectionsPerClient = maxConnectionsPerClient
        limits.maxIdleConnectionsPerClient = maxIdleConnectionsPerClient
        limits.maxStreamsPerClient = maxStreamsPerClient
        limits.maxBodyBytesPerClient = maxBodyBytesPerClient
    }
}
