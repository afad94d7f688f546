/// A statement that each connection prepares once, under `name`, the first time it runs it;
/// after that only its parameters travel, and PostgreSQL neither parses nor plans it again.
public struct PreparedStatement: Sendable, Hashable {
    /// Unique among the statements run on one database.
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}
