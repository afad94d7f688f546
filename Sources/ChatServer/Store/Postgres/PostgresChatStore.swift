import APIRuntime
import ChatAPI
import Dispatch
import Foundation
import HTTPServer
import PostgresClient
import Synchronization

/// The chat in PostgreSQL: durable, and shared by every instance that uses the same database
/// and schema. Writes go through one pool; a second connection listens for the `NOTIFY` of every
/// event, so each lobby with local streams is followed (`LobbyFollower`) from the events table.
/// While the database is unreachable, every operation answers 503 and open streams stay open;
/// once a connection is back, every follower catches up from the table by seq.
final class PostgresChatStore: ChatStore, LobbySource {
    let limits: ChatLimits
    /// The lobby list, a lobby and a lobby's history, as prepared statements.
    private let reads: PostgresReads
    /// Reads of one page answered together, each by a query that began after it arrived
    /// (`ReadCoalescer`): strict read-after-write across instances, one query under load.
    private let lobbyPages: ReadCoalescer<PostgresReads.LobbyPage, PageAnswer<Components.Schemas.Lobby>>
    /// A history page is encoded once per query, for every read it answers.
    private let histories: ReadCoalescer<PostgresReads.History, EncodedJSON<[Components.Schemas.Message]>>
    let configuration: DatabaseConfiguration
    let pool: PostgresPool
    let listener: PostgresPool
    private let batcher: PostBatcher
    let now: @Sendable () -> Date
    /// The lobbies with local streams, by room. A class, so the listener's callbacks can hold it.
    final class Followers: Sendable {
        let byRoom = Mutex<[String: LobbyFollower]>([:])
    }
    let followers = Followers()
    /// Who is online, over every instance (PostgresPresence.swift).
    let presence: PostgresPresence
    /// This instance's user streams; every instance's joins reach them through the channel.
    let userStreams = UserStreams()
    private let executor = QueueExecutor(queue: DispatchQueue(label: "chat.postgres"))
    private let deliveryTarget = DispatchQueue(label: "chat.delivery", attributes: .concurrent)
    /// The followers' retries wait on it.
    private let clock = DispatchFollowerClock(queue: DispatchQueue(label: "chat.postgres.retry"))
    private let decoder = JSONDecoder()

    /// Connects, migrates the schema and starts listening; throws if the database cannot be
    /// reached now (a wrong URL should stop the server, not make it answer 503).
    static func open(
        _ configuration: DatabaseConfiguration, limits: ChatLimits, now: @escaping @Sendable () -> Date = Date.init
    ) async throws(PostgresError) -> PostgresChatStore {
        let store = PostgresChatStore(configuration, limits: limits, now: now)
        do throws(PostgresError) {
            let migrator = try await PostgresConnection.connect(to: configuration.url, label: "chat.migrate")
            defer { migrator.close() }
            try await PostgresSchema.migrate(migrator, schema: configuration.schema)
            try await store.pool.start()
            try await store.listener.start()
            store.presence.start(pool: store.pool, followers: store.followers)
        } catch {
            store.close()
            throw error
        }
        return store
    }

    private init(_ configuration: DatabaseConfiguration, limits: ChatLimits, now: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.limits = limits
        self.now = now
        let schema = configuration.schema
        var options = PostgresPool.Options(url: configuration.url)
        options.size = configuration.poolSize
        options.label = "chat.pool"
        // The application name tells an operator (and the fault tests) whose backends these are.
        pool = PostgresPool(options, setUp: { connection throws(PostgresError) in
            _ = try await connection.query("SET search_path TO \(schema)")
            _ = try await connection.query("SET application_name TO 'chat:\(schema)'")
            // The post batch (`PostBatcher`) counts on each statement's own snapshot, whatever
            // the database's default.
            _ = try await connection.query("SET default_transaction_isolation TO 'read committed'")
        })
        var listenerOptions = PostgresPool.Options(url: configuration.url)
        listenerOptions.size = 1
        listenerOptions.label = "chat.listen"
        let followers = self.followers
        let presence = PostgresPresence(settings: limits.presence)
        self.presence = presence
        let userStreams = self.userStreams
        listener = PostgresPool(
            listenerOptions,
            setUp: { connection throws(PostgresError) in
                _ = try await connection.query("SET application_name TO 'chat:\(schema):listen'")
                _ = try await connection.query("LISTEN \(PostgresSchema.channel(schema))")
            },
            onNotification: { notification in
                if Self.deliverTyping(notification.payload, to: followers, instance: presence.instance) { return }
                if presence.receive(notification.payload) { return }
                if Self.deliverJoin(notification.payload, to: userStreams) { return }
                // "room seq"
                let parts = notification.payload.split(separator: " ")
                guard parts.count == 2, let seq = Int(parts[1]) else { return }
                followers.byRoom.withLock { $0[String(parts[0])] }?.notify(upTo: seq)
            },
            onEvent: { event in
                // Notifications may have been missed while the listener was down: catch up.
                guard case .connected(reconnect: true) = event else { return }
                for follower in followers.byRoom.withLock({ Array($0.values) }) { follower.notify(upTo: nil) }
            })
        batcher = PostBatcher(pool: pool, executor: executor, maxInFlight: configuration.commitsInFlight)
        let reads = PostgresReads(pool: pool, membersShown: limits.lobbyMembersShown)
        self.reads = reads
        // Concurrent: the queries of different pages decode their rows side by side.
        let readExecutor = QueueExecutor(queue: DispatchQueue(label: "chat.postgres.reads", attributes: .concurrent))
        lobbyPages = ReadCoalescer(executor: readExecutor) { page throws(ChatError) in
            let lobbies = try await reads.lobbies(page)
            return PageAnswer(items: .encoded(try Self.encoded(lobbies.items)), next: lobbies.next)
        }
        histories = ReadCoalescer(executor: readExecutor) { page throws(ChatError) in try Self.encoded(try await reads.messages(page)) }
    }

    /// True while the database can be reached (for readiness).
    var isConnected: Bool { pool.isConnected && listener.isConnected }

    func close() {
        presence.close()
        pool.close()
        listener.close()
    }

    // MARK: Statements

    func query(_ sql: String, _ parameters: [String?] = []) async throws(ChatError) -> PostgresRows {
        do throws(PostgresError) {
            return try await pool.query(sql, parameters)
        } catch {
            throw ChatError(error)
        }
    }

    // MARK: Users

    func createUser(id: String, name rawName: String, tokenDigest: [UInt8]) async throws(ChatError) -> Components.Schemas.User {
        let user = Components.Schemas.User(id: id, name: try Self.checkedName(rawName))
        let outcome = try await query(
            "SELECT chat_create_user($1, $2, $3, $4, $5) AS outcome",
            [user.id, user.name, Hex.encode(tokenDigest), String(limits.maxUsers), String(limits.unusedUserLifetime.seconds)])
        guard outcome.first("outcome") == "created" else { throw .atCapacity(what: "users", limit: limits.maxUsers) }
        return user
    }

    func tokenDigest(of userId: String) async throws(ChatError) -> [UInt8]? {
        let rows = try await query("SELECT token_digest FROM users WHERE id = $1", [userId])
        return rows.first("token_digest").flatMap(Hex.decode)
    }

    func users(limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.User> {
        let rows = try await query(
            "SELECT id, name, position FROM users WHERE position > $1 ORDER BY position LIMIT $2", [String(PageCursor.position(after)), String(limit + 1)])
        return Self.page(rows.rows, limit: limit, cursorColumn: 2) { row in
            guard let id = row[0], let name = row[1] else { return nil }
            return Components.Schemas.User(id: id, name: name)
        }
    }

    func members(_ room: String, limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.User> {
        let rows = try await query(
            """
            SELECT u.id, u.name, m.position FROM members m JOIN users u ON u.id = m.user_id
            WHERE m.room = $1 AND m.position > $2 ORDER BY m.position LIMIT $3
            """, [room, String(PageCursor.position(after)), String(limit + 1)])
        if rows.rows.isEmpty, try await query("SELECT 1 FROM lobbies WHERE room = $1", [room]).rows.isEmpty { throw .lobbyNotFound(room) }
        return Self.page(rows.rows, limit: limit, cursorColumn: 2) { row in
            guard let id = row[0], let name = row[1] else { return nil }
            return Components.Schemas.User(id: id, name: name)
        }
    }

    /// The first `limit` of `rows` (which holds one more when another page follows), the next
    /// cursor being the position in `cursorColumn` of the last one shown.
    static func page<Item>(_ rows: [[String?]], limit: Int, cursorColumn: Int, _ item: ([String?]) -> Item?) -> Page<Item> {
        let shown = rows.prefix(limit)
        return Page(items: shown.compactMap(item), next: rows.count > limit ? shown.last?[cursorColumn] ?? nil : nil)
    }

    // MARK: Lobbies

    func createLobby(room requested: String?) async throws(ChatError) -> Components.Schemas.Lobby {
        let createdAt = Timestamp.rfc3339(now())
        // 'created', 'taken' or 'full' (past --max-lobbies, counted over every instance).
        let insert = { [self] (room: String) async throws(ChatError) -> String? in
            try await query(
                "SELECT chat_create_lobby($1, $2, $3, $4) AS outcome",
                [room, createdAt, String(limits.maxLobbies), String(limits.emptyLobbyLifetime.seconds)]
            ).first("outcome")
        }
        if let requested {
            switch try await insert(requested) {
            case "created": return Components.Schemas.Lobby(room: requested, createdAt: createdAt, members: [])
            case "full": throw .atCapacity(what: "lobbies", limit: limits.maxLobbies)
            default: throw .roomTaken(requested)
            }
        }
        // A generated code that another instance took meanwhile: draw again (longer each time).
        var taken: Set<String> = []
        while true {
            let room = RoomCode.generate { taken.contains($0) }
            switch try await insert(room) {
            case "created": return Components.Schemas.Lobby(room: room, createdAt: createdAt, members: [])
            case "full": throw .atCapacity(what: "lobbies", limit: limits.maxLobbies)
            default: taken.insert(room)
            }
        }
    }

    func lobbies(limit: Int, after: String?) async throws(ChatError) -> Page<Components.Schemas.Lobby> {
        try await reads.lobbies(PostgresReads.LobbyPage(limit: limit, after: PageCursor.position(after)))
    }

    func lobbiesAnswer(limit: Int, after: String?) async throws(ChatError) -> PageAnswer<Components.Schemas.Lobby> {
        try await lobbyPages.value(for: PostgresReads.LobbyPage(limit: limit, after: PageCursor.position(after)))
    }

    /// A page as its answer carries it, encoded once for every read one query answers.
    private static func encoded<Value: Encodable>(_ value: Value) throws(ChatError) -> EncodedJSON<Value> {
        do {
            return try EncodedJSON(value)
        } catch {
            throw .storeFailed("an answer could not be encoded: \(error)")
        }
    }

    func lobby(_ room: String) async throws(ChatError) -> Components.Schemas.Lobby {
        try await reads.lobby(room)
    }

    func join(_ room: String, userId: String) async throws(ChatError) -> Components.Schemas.Lobby {
        try await changeMembership(room, userId: userId, join: true)
    }

    func leave(_ room: String, userId: String) async throws(ChatError) -> Components.Schemas.Lobby {
        try await changeMembership(room, userId: userId, join: false)
    }

    private func changeMembership(_ room: String, userId: String, join: Bool) async throws(ChatError) -> Components.Schemas.Lobby {
        // A join is also announced to every instance's user streams, in the same statement
        // (so in the same transaction: sent if and only if it commits).
        let rows = try await query(
            """
            SELECT m.outcome, m.seq,
                   CASE WHEN $3::boolean AND m.outcome = 'changed' THEN pg_notify($4, $1 || ' joined ' || $2 || ' ' || m.seq) END
            FROM chat_membership($1, $2, $3, $5) m
            """, [room, userId, join ? "true" : "false", PostgresSchema.channel(configuration.schema), String(limits.maxLobbiesPerUser)])
        switch rows.first("outcome") {
        case "no-lobby": throw .lobbyNotFound(room)
        case "no-user": throw .userNotFound(userId)
        case "too-many": throw .tooManyLobbies(userId: userId, limit: limits.maxLobbiesPerUser)
        case "changed":
            if let seq = rows.first("seq").flatMap({ Int($0) }) { follower(room)?.notify(upTo: seq) }
        default: break
        }
        return try await lobby(room)
    }

    /// Deletes the lobby as a member: its streams here get the `closed` event at once, those
    /// of other instances once their followers read the tombstone.
    func deleteLobby(_ room: String, userId: String) async throws(ChatError) {
        let rows = try await query("SELECT outcome, seq, name FROM chat_close_lobby($1, $2)", [room, userId])
        switch rows.first("outcome") {
        case "no-lobby": throw .lobbyNotFound(room)
        case "no-user": throw .userNotFound(userId)
        case "not-member": throw .notAMember(userId: userId, room: room)
        default:
            guard let seq = rows.first("seq").flatMap({ Int($0) }), let name = rows.first("name") else { return }
            follower(room)?.committed(StoredEvent(room: room, seq: seq, kind: .closed, userId: userId, userName: name))
        }
    }

    // MARK: Messages

    func post(_ room: String, userId: String, content: String) async throws(ChatError) -> Components.Schemas.Message {
        try await publishMessage(room, userId: userId, content: content, encoding: false).message
    }

    /// The 201's body spliced by `MessageFrame`, as the memory store's: not encoded again.
    func postAnswer(_ room: String, userId: String, content: String) async throws(ChatError) -> PostAnswer {
        let (message, json) = try await publishMessage(room, userId: userId, content: content, encoding: true)
        return json.map(PostAnswer.encoded) ?? .value(message)
    }

    private func publishMessage(
        _ room: String, userId: String, content: String, encoding: Bool
    ) async throws(ChatError) -> (message: Components.Schemas.Message, json: EncodedJSON<Components.Schemas.Message>?) {
        try checkContent(of: content)
        // Only this instance's streams are known here: a post through another instance is not
        // held back by them.
        if let follower = follower(room), follower.delivery.backlog >= limits.maxDeliveryBacklog { throw .lobbyBusy(room) }
        let post = PostBatcher.Post(
            room: room, userId: userId, messageId: MessageID.make(), content: content,
            sentAt: Timestamp.rfc3339(now()))
        switch await batcher.post(post) {
        case .failed(let error): throw error
        case .posted(let seq, let name):
            let message = Components.Schemas.Message(
                id: post.messageId, seq: seq, room: room, userId: userId, name: name, content: content, sentAt: post.sentAt)
            follower(room)?.committed(StoredEvent(
                room: room, seq: seq, kind: .message, userId: userId, userName: name,
                messageId: message.id, content: content, sentAt: message.sentAt))
            return (message, encoding ? MessageFrame(message)?.frame(name: name, seq: seq).message : nil)
        }
    }

    func messages(_ room: String, limit: Int, after: Int?) async throws(ChatError) -> [Components.Schemas.Message] {
        try await reads.messages(PostgresReads.History(room: room, limit: limit, after: after))
    }

    func messagesAnswer(_ room: String, limit: Int, after: Int?) async throws(ChatError) -> StoreAnswer<[Components.Schemas.Message]> {
        .encoded(try await histories.value(for: PostgresReads.History(room: room, limit: limit, after: after)))
    }

    // MARK: Reclaiming

    func reclaim() async throws(ChatError) -> Reclaimed {
        let rows = try await query(
            "SELECT kind, name FROM chat_reclaim($1, $2)",
            [String(limits.emptyLobbyLifetime.seconds), String(limits.unusedUserLifetime.seconds)])
        var reclaimed = Reclaimed()
        for row in rows.rows {
            switch row[0] {
            case "lobby": reclaimed.rooms.append(row[1] ?? "")
            default: reclaimed.users += 1
            }
        }
        return reclaimed
    }

    // MARK: LobbySource

    func snapshot(_ room: String) async throws(ChatError) -> (lastSeq: Int, members: Set<String>, lobbyId: Int)? {
        let rows = try await query("""
            SELECT l.last_seq, coalesce((SELECT json_agg(m.user_id) FROM members m WHERE m.room = l.room), '[]')::text AS members,
                   l.position
            FROM lobbies l WHERE l.room = $1
            """, [room])
        guard let row = rows.rows.first, let lastSeq = row[0].flatMap({ Int($0) }), let json = row[1],
            let members = try? decoder.decode([String].self, from: Data(json.utf8)), let lobbyId = row[2].flatMap({ Int($0) })
        else { return nil }
        return (lastSeq, Set(members), lobbyId)
    }

    /// The lobby's events while its row is the one followed, else its tombstone (the `closed`
    /// event), if it has one past `seq`.
    func events(_ room: String, of lobbyId: Int, after seq: Int, limit: Int) async throws(ChatError) -> [StoredEvent] {
        try await query("""
            SELECT \(StoredEvent.columns) FROM events
            WHERE room = $1 AND seq > $2 AND EXISTS (SELECT 1 FROM lobbies l WHERE l.room = $1 AND l.position = $4)
            UNION ALL
            SELECT room, seq, 'closed', user_id, user_name, NULL, NULL, NULL, NULL, false, NULL FROM closed_lobbies
            WHERE lobby = $4 AND seq > $2
            ORDER BY seq LIMIT $3
            """,
            [room, String(seq), String(limit), String(lobbyId)]
        ).rows.compactMap(StoredEvent.init(row:))
    }

    func closing(_ room: String) async throws(ChatError) -> StoredEvent? {
        try await query("""
            SELECT room, seq, 'closed', user_id, user_name, NULL, NULL, NULL, NULL, false, NULL FROM closed_lobbies
            WHERE room = $1 ORDER BY lobby DESC LIMIT 1
            """, [room]).rows.first.flatMap(StoredEvent.init(row:))
    }

    // MARK: Streams

    func checkSubscription(_ room: String, userId: String) async throws(ChatError) -> Int {
        let rows = try await query("""
            SELECT (SELECT last_seq FROM lobbies WHERE room = $1) AS last_seq, EXISTS (SELECT 1 FROM users WHERE id = $2) AS user,
                   EXISTS (SELECT 1 FROM members WHERE room = $1 AND user_id = $2) AS member
            """, [room, userId])
        guard let lastSeq = rows.first("last_seq").flatMap({ Int($0) }) else { throw .lobbyNotFound(room) }
        guard rows.first("user") == "t" else { throw .userNotFound(userId) }
        guard rows.first("member") == "t" else { throw .notAMember(userId: userId, room: room) }
        return lastSeq
    }

    /// The stream joins the lobby's follower (made on the first stream), which admits it in
    /// order with the events it reads; the follower retires with its last stream, both decided
    /// under the map's lock, so no stream can join a follower that has retired.
    func subscribe(_ room: String, userId: String, lastEventId: Int?, presenceEvents: Bool, sink: EventSink<Components.Schemas.ChatEvent>) {
        let subscriber = Subscriber(userId: userId, sink: sink, wantsPresence: presenceEvents)
        let (follower, id) = followers.byRoom.withLock { followers in
            while true {
                let follower = followers[room] ?? LobbyFollower(
                    room: room, source: self, limits: limits, deliveryTarget: deliveryTarget, clock: clock, executor: executor,
                    presence: presence.tracker)
                followers[room] = follower
                if let id = follower.arrive(subscriber, lastEventId: lastEventId) { return (follower, id) }
                followers[room] = nil
            }
        }
        sink.onClose { [weak self] in
            self?.followers.byRoom.withLock { followers in
                if follower.close(id), followers[room] === follower { followers[room] = nil }
            }
        }
    }

    func follower(_ room: String) -> LobbyFollower? {
        followers.byRoom.withLock { $0[room] }
    }

    func deliverPublishedEvents() async {
        for follower in followers.byRoom.withLock({ Array($0.values) }) { await follower.settle() }
    }

    func subscriberCount(_ room: String) -> Int {
        follower(room)?.subscriberCount ?? 0
    }
}
