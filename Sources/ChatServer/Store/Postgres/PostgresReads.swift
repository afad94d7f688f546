import ChatAPI
import Foundation
import PostgresClient

/// The store's hot reads, each one prepared statement: a page of the lobby list, one lobby, a
/// page of a lobby's history. The store runs the pages through `ReadCoalescer`s keyed by
/// `LobbyPage` and `History`, so that one query answers every read of a page that arrived while
/// the previous query for it was in flight.
struct PostgresReads: Sendable {
    /// A page of `GET /chat`.
    struct LobbyPage: Hashable, Sendable {
        var limit: Int
        /// The position after which it starts (`PageCursor.position`).
        var after: Int
    }

    /// A page of `GET /chat/{room}/messages`.
    struct History: Hashable, Sendable {
        var room: String
        var limit: Int
        /// Nil: the latest `limit` messages.
        var after: Int?
    }

    private let pool: PostgresPool
    /// The lobby page and the lobby by room (their text names the members shown).
    private let lobbyPage: PreparedStatement
    private let lobbyByRoom: PreparedStatement
    private let decoder = JSONDecoder()

    init(pool: PostgresPool, membersShown: Int) {
        self.pool = pool
        let select = Self.lobbySelect(showing: membersShown)
        lobbyPage = PreparedStatement(name: "chat_lobby_page", sql: select + " WHERE l.position > $1 ORDER BY l.position LIMIT $2")
        lobbyByRoom = PreparedStatement(name: "chat_lobby", sql: select + " WHERE l.room = $1")
    }

    private func run(_ statement: PreparedStatement, _ parameters: [String?]) async throws(ChatError) -> PostgresRows {
        do throws(PostgresError) {
            return try await pool.query(statement, parameters)
        } catch {
            throw ChatError(error)
        }
    }

    // MARK: Lobbies

    /// Lobbies with their first `shown` members in join order (as JSON the generated `User`
    /// decodes), how many they have, and their position.
    private static func lobbySelect(showing shown: Int) -> String {
        """
        SELECT l.room, l.created_at,
               coalesce((SELECT json_agg(json_build_object('id', first.id, 'name', first.name) ORDER BY first.position)
                         FROM (SELECT u.id, u.name, m.position FROM members m JOIN users u ON u.id = m.user_id
                               WHERE m.room = l.room ORDER BY m.position LIMIT \(shown)) first), '[]')::text AS members,
               (SELECT count(*) FROM members m WHERE m.room = l.room) AS member_count,
               l.position
        FROM lobbies l
        """
    }

    private func lobby(_ row: [String?]) -> Components.Schemas.Lobby? {
        guard let room = row[0], let createdAt = row[1], let json = row[2],
            let members = try? decoder.decode([Components.Schemas.User].self, from: Data(json.utf8)), let count = row[3].flatMap({ Int($0) })
        else { return nil }
        return Components.Schemas.Lobby(room: room, createdAt: createdAt, members: members, memberCount: count > members.count ? count : nil)
    }

    func lobbies(_ page: LobbyPage) async throws(ChatError) -> Page<Components.Schemas.Lobby> {
        let rows = try await run(lobbyPage, [String(page.after), String(page.limit + 1)])
        return PostgresChatStore.page(rows.rows, limit: page.limit, cursorColumn: 4, lobby)
    }

    func lobby(_ room: String) async throws(ChatError) -> Components.Schemas.Lobby {
        guard let row = try await run(lobbyByRoom, [room]).rows.first, let lobby = lobby(row) else { throw .lobbyNotFound(room) }
        return lobby
    }

    // MARK: History

    func messages(_ page: History) async throws(ChatError) -> [Components.Schemas.Message] {
        let rows: PostgresRows
        if let after = page.after {
            rows = try await run(Self.messagesAfter, [page.room, String(after), String(page.limit)])
        } else {
            rows = try await run(Self.latestMessages, [page.room, String(page.limit)])
        }
        if rows.rows.isEmpty, try await run(Self.lobbyExists, [page.room]).rows.isEmpty { throw .lobbyNotFound(page.room) }
        return rows.rows.compactMap { StoredEvent(row: $0)?.message }
    }

    /// The first `$3` messages of lobby `$1` after seq `$2`.
    static let messagesAfter = PreparedStatement(
        name: "chat_messages_after",
        sql: "SELECT \(StoredEvent.columns) FROM events WHERE room = $1 AND kind = 'message' AND seq > $2 ORDER BY seq LIMIT $3")

    /// The latest `$2` messages of lobby `$1`, oldest first.
    static let latestMessages = PreparedStatement(
        name: "chat_latest_messages",
        sql: """
            SELECT * FROM (SELECT \(StoredEvent.columns) FROM events WHERE room = $1 AND kind = 'message'
                           ORDER BY seq DESC LIMIT $2) latest ORDER BY seq
            """)

    static let lobbyExists = PreparedStatement(name: "chat_lobby_exists", sql: "SELECT 1 FROM lobbies WHERE room = $1")
}
