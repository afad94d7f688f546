import PostgresClient

extension ChatError {
    /// The chat's view of a database failure: unreachable is a 503 (try again), a refused
    /// statement a bug (500, logged with PostgreSQL's message).
    init(_ error: PostgresError) {
        self = error.isConnectionProblem ? .storeUnavailable : .storeFailed(error.description)
    }
}
