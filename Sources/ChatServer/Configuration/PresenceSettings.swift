/// How presence is debounced and coalesced (`ChatLimits.presence`).
struct PresenceSettings: Sendable, Equatable {
    /// How long after a user's last stream on a lobby closes they still count as online: a
    /// stream reopened within it (a reconnect) is no offline/online pair. Default 5 seconds
    /// (`--presence-grace`).
    var grace: Duration = .seconds(5)
    /// A lobby's presence changes go out as one `presence` event at most this often, so a
    /// lobby of N streams costs at most N deliveries per interval however many change.
    /// Default 1 second (`--presence-interval`).
    var interval: Duration = .seconds(1)
    /// The most changes one `presence` event lists; past it the event says `truncated` and
    /// lists none (the schema's `maxItems`). Default 20.
    var maxChanges = 20
    /// How often a PostgreSQL instance marks itself alive and retires the presence of
    /// instances that stopped doing so. Default 5 seconds.
    var instanceHeartbeat: Duration = .seconds(5)
    /// How long a PostgreSQL instance's presence outlives its last heartbeat (a killed
    /// instance's users then go offline). Default 15 seconds.
    var instanceExpiry: Duration = .seconds(15)
}
