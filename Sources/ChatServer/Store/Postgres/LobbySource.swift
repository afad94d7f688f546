/// Where a follower reads a lobby from: the events table and the lobby's current state.
protocol LobbySource: Sendable {
    /// The lobby's last seq and members, as of one moment, and which lobby of the code it is
    /// (`lobbyId`, for `events`); nil if there is no such lobby.
    func snapshot(_ room: String) async throws(ChatError) -> (lastSeq: Int, members: Set<String>, lobbyId: Int)?
    /// Up to `limit` events of the lobby `lobbyId` with seq greater than `seq`, in seq order;
    /// once it is deleted, only its `closed` event.
    func events(_ room: String, of lobbyId: Int, after seq: Int, limit: Int) async throws(ChatError) -> [StoredEvent]
    /// The `closed` event of the latest lobby deleted with this code, if any: what a stream
    /// checked before the deletion, and arriving after it, gets before it ends.
    func closing(_ room: String) async throws(ChatError) -> StoredEvent?
}
