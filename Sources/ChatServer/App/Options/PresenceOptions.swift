import ArgumentParser

/// Presence's debounce and coalescing (`PresenceSettings`), each defaulting to the value there.
struct PresenceOptions: ParsableArguments {
    private static let defaults = PresenceSettings()

    @Option(help: "Seconds a user whose last stream on a lobby closed still counts as online (a reconnect within it is no offline/online pair).")
    var presenceGrace = Self.defaults.grace.seconds

    @Option(help: "Seconds between two presence events of one lobby (its changes meanwhile go out as one).")
    var presenceInterval = Self.defaults.interval.seconds

    func validate() throws {
        if !(presenceGrace >= 0) { throw ValidationError("--presence-grace must not be negative") }
        if !(presenceInterval > 0) { throw ValidationError("--presence-interval must be positive") }
    }

    /// Sets these settings; the others keep their defaults.
    func apply(to presence: inout PresenceSettings) {
        presence.grace = .seconds(presenceGrace)
        presence.interval = .seconds(presenceInterval)
    }
}
