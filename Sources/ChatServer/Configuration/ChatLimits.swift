/// The chat's own bounds, beside the transport's `HTTPLimits`.
struct ChatLimits: Sendable, Equatable {
    /// The most characters (Unicode scalars) in a message. The spec's `maxLength` (4000) is the
    /// ceiling: this can lower it, not raise it. Default 4000.
    var maxMessageLength = 4000
    /// How many of a lobby's latest events are kept for resuming streams. Default 1000.
    var historySize = 1000
    /// The `retry:` a stream starts with, in milliseconds. Default 3000.
    var retryMilliseconds = 3000
    /// How long a stream may be silent before a `: ping` comment. Default 15 seconds.
    var heartbeat: Duration = .seconds(15)
    /// The most bytes a resuming stream is replayed; past it the stream gets `resync` instead,
    /// since a replay larger than the stream's output limit would only get it cut off. The
    /// application sets it to half the transport's `maxStreamOutputBytes`. Default 512 KiB.
    var maxReplayBytes = 512 * 1024
    /// The most bytes of queued events one batched write to a stream carries, so that batching
    /// never pushes a healthy reader past its output limit. The application sets it to an
    /// eighth of the transport's `maxStreamOutputBytes`, at most 64 KiB. Default 64 KiB.
    var maxBatchBytes = 64 * 1024
    /// How many members a lobby's answers list (the first ones); `memberCount` then says how
    /// many it has, and `GET /chat/{room}/members` pages through them all. Default 100.
    var lobbyMembersShown = 100
    /// The most users the store holds (PostgreSQL: over every instance); past it sign-up is 503. Default 100,000.
    var maxUsers = 100_000
    /// The most lobbies the store holds (PostgreSQL: over every instance); past it creation is 503. Default 10,000.
    var maxLobbies = 10_000
    /// How long a lobby with no members (and so no streams) and no event may stay before it is
    /// retired and its code freed; a client that still names it gets 404. 0: never. Default 1 hour.
    var emptyLobbyLifetime: Duration = .seconds(3600)
    /// How long a user that never joined a lobby (so never acted, and holds none) stays before
    /// it expires: its id and token then answer as unknown (404, 401). 0: never. Default 1 hour.
    var unusedUserLifetime: Duration = .seconds(3600)
    /// The most streams one user may hold open at once on this instance; past it, 429.
    /// Default 20.
    var maxStreamsPerUser = 20
    /// The most lobbies one user may be a member of at once; a join past it is 409
    /// `too-many-lobbies` (joining a lobby one is in again still answers 200), and a leave or a
    /// lobby's deletion frees a slot. PostgreSQL: over every instance. Default 64.
    ///
    /// Why 64: the user stream's `id:` (its cursor, `UserCursor`) holds one `room:seq,` entry per
    /// lobby the user is in, and a client sends it back as `Last-Event-ID`, which the server takes
    /// up to 8192 bytes (api.yaml's `maxLength`; nginx's default header line is 8 KiB too). The
    /// longest entry is a 64-character code (the room-code pattern's `{1,64}`), `:`, an 18-digit
    /// seq (the cursor pattern's `{1,18}`) and `,`: 84 bytes. 64 entries are at most 5376 bytes,
    /// under two thirds of the limit; 98 could pass it, and the server would write ids it then
    /// refuses (`--max-lobbies-per-user` stops at 90, which leaves room for the header's name in
    /// nginx's line and for a cursor briefly holding a few lobbies past the cap: a join right
    /// after a leave is followed before the leave is delivered). `UserCursorBoundTests` checks this against the spec's constants and the
    /// server's answers, so raising one without the other fails.
    var maxLobbiesPerUser = 64
    /// The memory store's budget for retained messages and their events, in bytes (content,
    /// names and a fixed overhead per message, plus the encoded frames kept for resuming).
    /// Past it, the oldest messages of the lobby that holds the most leave first. Default 256 MiB.
    var retainedBytesBudget = 256 * 1024 * 1024
    /// How many events may wait for delivery in one lobby before posts to it are answered 503
    /// (its streams cannot keep up). Default 1,000.
    var maxDeliveryBacklog = 1_000
    /// The most unread messages counted per lobby (`unread` says at most this, meaning this
    /// many or more), so that a list of lobbies costs the PostgreSQL store a bounded index
    /// range per lobby however far behind its reader is. Default 1,000.
    var maxUnreadCounted = 1_000
    /// Presence's grace period, coalescing interval and instance expiry.
    var presence = PresenceSettings()
}
