/// Where a follower reads a lobby from: the events table and the lobby's current state.
protocol LobbySource: Sendable {
    /// The lobby's last seq and members, as of one moment; nil if there is no such lobby.
    func snapshot(_ room: String) async throws(ChatError) -> (lastSeq: Int, members: Set<String>)?
    /// Up to `limit` events with seq greater than `seq`, in seq order.
    func events(_ room: String, after seq: Int, limit: Int) async throws(ChatError) -> [StoredEvent]
}
