/// What can go wrong talking to PostgreSQL.
public enum PostgresError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No connection could be made (refused, bad URL, authentication).
    case connectionFailed(String)
    /// The connection broke while in use. A statement in flight may or may not have committed.
    case connectionLost(String)
    /// Every connection of a pool is down; retry later.
    case unavailable
    /// The server refused the statement: its SQLSTATE and message.
    case server(code: String, message: String)
    /// The connection was closed by its owner.
    case closed

    public var description: String {
        switch self {
        case .connectionFailed(let message): "could not connect to PostgreSQL: \(message)"
        case .connectionLost(let message): "the PostgreSQL connection broke: \(message)"
        case .unavailable: "no PostgreSQL connection is up"
        case .server(let code, let message): "PostgreSQL refused the statement (\(code)): \(message)"
        case .closed: "the PostgreSQL connection is closed"
        }
    }

    /// True when the engine could not be reached (as opposed to refusing a statement).
    public var isConnectionProblem: Bool {
        switch self {
        case .connectionFailed, .connectionLost, .unavailable, .closed: true
        case .server: false
        }
    }
}

/// The rows of one statement, as text (libpq's text format).
public struct PostgresRows: Sendable {
    public let columns: [String]
    public let rows: [[String?]]
    /// How many rows the statement inserted, updated or deleted (`PQcmdTuples`), else 0.
    public let affected: Int

    public init(columns: [String], rows: [[String?]], affected: Int) {
        self.columns = columns
        self.rows = rows
        self.affected = affected
    }

    /// No columns, no rows: what a statement that returns nothing answers.
    public static let empty = PostgresRows(columns: [], rows: [], affected: 0)

    /// The value of `column` in the first row.
    public func first(_ column: String) -> String? {
        guard let index = columns.firstIndex(of: column), let row = rows.first else { return nil }
        return row[index]
    }
}

/// A `NOTIFY` received on a channel the connection listens to.
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String

    public init(channel: String, payload: String) {
        self.channel = channel
        self.payload = payload
    }
}

/// Text parameters for PostgreSQL's array types.
public enum PostgresArray {
    /// The array literal of `values` (`{"a","b\"c"}`), for a `text[]` parameter. Built as UTF-8
    /// bytes: `"` and `\` are ASCII, so no other byte of a multi-byte character can be one.
    public static func literal(_ values: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(2) { $0 + $1.utf8.count + 3 })
        bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
