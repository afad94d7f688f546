import APIRuntime
import ChatAPI
import Foundation

/// What the chat remembers, whichever engine holds it: `MemoryChatStore` (the default, one
/// process) or `PostgresChatStore` (durable, shared by several instances). Both pass the same
/// tests. Every mutation is answered only once it is stored; `ChatError` says what went wrong.
protocol ChatStore: Sendable {
    var limits: ChatLimits { get }

    /// Creates a user named `name` (trimmed) with id `id`, keeping `tokenDigest`, the digest of
    /// the token the answer hands out.
    func createUser(id: String, name: String, tokenDigest: [UInt8]) async throws(ChatError) -> Components.Schemas.User
    /// The token digest kept for `userId`; nil when no such user exists.
    func tokenDigest(of userId: String) async throws(ChatError) -> [UInt8]?
    /// Users in creation order, a page at a time.
    func users(limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.User>

    func createLobby(room: String?) async throws(ChatError) -> Components.Schemas.Lobby
    /// Lobbies in creation order, a page at a time, each with its first members.
    func lobbies(limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.Lobby>
    /// `lobbies`, as the 200 carries it (see `messagesAnswer`).
    func lobbiesAnswer(limit: Int, after: String?) async throws(ChatError) -> PageAnswer<Components.Schemas.Lobby>
    /// A lobby's members in join order, a page at a time.
    func members(_ room: String, limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.User>
    func lobby(_ room: String) async throws(ChatError) -> Components.Schemas.Lobby
    /// Adds the user to the lobby and emits `join`; a member joining again changes nothing.
    func join(_ room: String, userId: String) async throws(ChatError) -> Components.Schemas.Lobby
    /// Removes the user and emits `leave`; their streams on the lobby get it, then end.
    func leave(_ room: String, userId: String) async throws(ChatError) -> Components.Schemas.Lobby
    /// Deletes the lobby as its member `userId` and emits `closed`: every stream on it, on every
    /// instance, gets it, then ends; the code then names nothing and is free. 404 for no lobby,
    /// then no user; 403 for no member.
    func deleteLobby(_ room: String, userId: String) async throws(ChatError)

    func post(_ room: String, userId: String, content: String) async throws(ChatError) -> Components.Schemas.Message
    /// `post`, answered as the 201 carries it: a store that holds the message's JSON anyway (the
    /// memory store splices it into the event's frame) hands over those bytes, so the answer is
    /// not encoded again.
    func postAnswer(_ room: String, userId: String, content: String) async throws(ChatError) -> PostAnswer
    /// The first `limit` messages after `after`, or the latest `limit`.
    func messages(_ room: String, limit: Int, after: Int?) async throws(ChatError) -> [Components.Schemas.Message]
    /// `messages`, as the 200 carries it: a store that answers several reads with one query
    /// (PostgreSQL) encodes that page once for all of them.
    func messagesAnswer(_ room: String, limit: Int, after: Int?) async throws(ChatError) -> StoreAnswer<[Components.Schemas.Message]>

    /// Replaces the content of the message `messageId` in `room` as its author `userId` and
    /// emits `edit` (the next seq); answers the message as it is now. 404 for no lobby, then no
    /// user; 403 for no member; 404 for no such message; 403 for another user's; 409 when deleted.
    func edit(_ room: String, messageId: String, userId: String, content: String) async throws(ChatError) -> Components.Schemas.Message
    /// Deletes the message `messageId` in `room` as its author `userId` (its tombstone keeps its
    /// seq) and emits `delete`; answers the tombstone. Deleting it again answers the tombstone
    /// and emits nothing. Errors as `edit`'s, but for 409.
    func delete(_ room: String, messageId: String, userId: String) async throws(ChatError) -> Components.Schemas.Message

    /// Moves `userId`'s read position in `room` up to `seq` (clamped to the lobby's latest
    /// event; a lower `seq` changes nothing) and answers the lobby as the member reads it.
    /// 404 for no lobby (then no user), 403 for a user who is no member.
    func markRead(_ room: String, userId: String, seq: Int) async throws(ChatError) -> Components.Schemas.LobbyReading
    /// The lobbies `userId` is a member of, in join order, a page at a time, each with the
    /// member's read position and unread count (other users' messages after it); 404 for no user.
    func readings(of userId: String, limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.LobbyReading>

    /// Tells the lobby's streams on every instance, but `userId`'s own, that the user is
    /// typing: one ephemeral `typing` event, never stored, replayed or given a seq. 404 for no
    /// lobby, then no user; 403 for no member. Then `admit` decides (false: the user's
    /// previous one was too recent) whether anything is sent.
    func typing(_ room: String, userId: String, admit: () -> Bool) async throws(ChatError)

    /// Checks that `userId` may open a stream on `room`, so the handler can answer 404 or 403
    /// before the stream starts, and returns the seq of the lobby's latest event as of the
    /// check: a new stream starts after it, so it gets every event of a post answered after
    /// its head arrived, whichever instance took the post.
    func checkSubscription(_ room: String, userId: String) async throws(ChatError) -> Int
    /// Adds an open stream to the lobby, through the lobby's `LobbyFanout`. With `lastEventId`,
    /// it first gets the events after it (or one `resync` when they cannot be replayed), then
    /// everything live, with nothing lost or repeated. A user who left between the check and
    /// the stream's admission gets the events after `lastEventId` up to and including their
    /// leave, then the stream ends (both stores, decided in the order of the lobby's events);
    /// if the lobby is gone, it ends at once.
    /// `presenceEvents`: the stream also gets the lobby's `presence` events.
    func subscribe(_ room: String, userId: String, lastEventId: Int?, presenceEvents: Bool, sink: EventSink<Components.Schemas.ChatEvent>)

    /// How many users are online in `room` (an open stream on it, on any instance, or one
    /// closed within the grace period), and a page of them by id after `after`. 404 for no lobby.
    func presence(_ room: String, limit: Int, after: String?) async throws(ChatError) -> (online: Int, users: Page<Components.Schemas.User>)

    /// Retires the lobbies and expires the users past `ChatLimits.emptyLobbyLifetime` and
    /// `unusedUserLifetime`; returns what went. Run periodically, and by a creation at its cap.
    func reclaim() async throws(ChatError) -> Reclaimed

    /// The lobbies `userId` is in, for a user stream; 404 for no user.
    func memberships(of userId: String) async throws(ChatError) -> [Membership]
    /// This instance's user streams, which the store tells of every join (PostgreSQL: of
    /// every instance's), outside its locks.
    var userStreams: UserStreams { get }

    /// How many streams are open on `room` in this process.
    func subscriberCount(_ room: String) -> Int

    /// Returns once every event published so far has been written to the streams it was for.
    func deliverPublishedEvents() async
    /// Lets go of the engine (connections); called once, after shutdown.
    func close()
}

/// A lobby a user is in, as a user stream starts following it.
struct Membership: Sendable, Equatable {
    let room: String
    /// The seq of the user's (latest) join: a resume whose cursor does not name the lobby
    /// replays from it.
    let joinSeq: Int
    /// The lobby's latest seq: a fresh stream follows it from there.
    let lastSeq: Int
}

/// What one `reclaim` freed.
struct Reclaimed: Sendable, Equatable {
    /// The codes of the lobbies retired (free for new lobbies).
    var rooms: [String] = []
    /// How many users expired.
    var users = 0
}

extension Duration {
    /// The duration in seconds, fractions kept.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension ChatStore {
    /// A stream without the lobby's `presence` events.
    func subscribe(_ room: String, userId: String, lastEventId: Int?, sink: EventSink<Components.Schemas.ChatEvent>) {
        subscribe(room, userId: userId, lastEventId: lastEventId, presenceEvents: false, sink: sink)
    }

    /// The message as `post` answers it, for the router to encode.
    func postAnswer(_ room: String, userId: String, content: String) async throws(ChatError) -> PostAnswer {
        .value(try await post(room, userId: userId, content: content))
    }

    /// The lobbies as `lobbies` answers them, for the router to encode.
    func lobbiesAnswer(limit: Int, after: String?) async throws(ChatError) -> PageAnswer<Components.Schemas.Lobby> {
        let page = try await lobbies(limit: limit, after: after)
        return PageAnswer(items: .value(page.items), next: page.next)
    }

    /// The messages as `messages` answers them, for the router to encode.
    func messagesAnswer(_ room: String, limit: Int, after: Int?) async throws(ChatError) -> StoreAnswer<[Components.Schemas.Message]> {
        .value(try await messages(room, limit: limit, after: after))
    }

    /// A user name as stored: trimmed, and not blank.
    static func checkedName(_ rawName: String) throws(ChatError) -> String {
        let name = rawName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .blankName }
        return name
    }

    /// Refuses a message longer than the configured limit, or with a U+0000 in it.
    func checkContent(of content: String) throws(ChatError) {
        var count = 0
        for scalar in content.unicodeScalars {
            if scalar == "\u{0}" { throw .nulInMessage }
            count += 1
        }
        guard count <= limits.maxMessageLength else { throw .messageTooLong(limit: limits.maxMessageLength) }
    }

    /// White space as the spec's patterns (ECMA-262's `\s`) see it, so that the store refuses as
    /// blank exactly what `EditMessageRequest.content`'s pattern does.
    static func isPatternSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF: true
        default: false
        }
    }

    /// Refuses an edit's content as a post's is refused, and blank content (delete instead).
    func checkEdit(of content: String) throws(ChatError) {
        guard content.unicodeScalars.contains(where: { !Self.isPatternSpace($0) }) else { throw .invalidEdit(reason: "must not be blank") }
        do {
            try checkContent(of: content)
        } catch .messageTooLong(let limit) {
            throw .invalidEdit(reason: "must be at most \(limit) characters")
        } catch {
            throw .invalidEdit(reason: "must not contain U+0000")
        }
    }
}
