/// Where the PostgreSQL store keeps the chat; without one, the chat lives in memory.
struct DatabaseConfiguration: Sendable, Equatable {
    /// A libpq connection URL (`postgres://user@host:port/database`) or `key=value` words.
    var url: String
    /// The schema that holds the tables; instances sharing a database and schema share the chat.
    /// Lower-case letters, digits and `_`. Default `chat`.
    var schema = "chat"
    /// Connections for statements (one more listens for events). Default 4.
    var poolSize = 4
}
