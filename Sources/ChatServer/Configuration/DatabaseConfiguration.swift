/// Where the PostgreSQL store keeps the chat; without one, the chat lives in memory.
struct DatabaseConfiguration: Sendable, Equatable {
    /// A libpq connection URL (`postgres://user@host:port/database`) or `key=value` words.
    var url: String
    /// The schema that holds the tables; instances sharing a database and schema share the chat.
    /// Lower-case letters, digits and `_`. Default `chat`.
    var schema = Self.defaultSchema
    /// Connections for statements (one more listens for events). Default 4.
    var poolSize = Self.defaultPoolSize
    /// Batches of posts committing at once (`PostBatcher`). Default 1: posts that arrive
    /// meanwhile wait for the next batch, so commits are fewer and larger, which costs the
    /// least CPU per post where PostgreSQL shares the server's cores; more overlap one batch's
    /// WAL flush with the next one's work, for a database with cores of its own.
    var commitsInFlight = Self.defaultCommitsInFlight

    /// `schema` unless given (also `--database-schema`'s default).
    static let defaultSchema = "chat"
    /// `poolSize` unless given (also `--database-pool-size`'s default).
    static let defaultPoolSize = 4
    /// `commitsInFlight` unless given (also `--database-commits-in-flight`'s default).
    static let defaultCommitsInFlight = 1
}
