import Synchronization

extension LobbyDelivery {
    /// Live events handed to streams by every lobby of the process (an event to N streams counts
    /// N; replays on resume are not counted), one relaxed add per batch, for `/metrics`.
    static let deliveredEvents = Atomic<Int>(0)
}
