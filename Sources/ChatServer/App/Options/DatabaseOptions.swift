import ArgumentParser
import PostgresClient

/// Where the chat is kept: PostgreSQL with a URL, else memory.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Keep the chat in PostgreSQL: a libpq URL such as postgres://user@127.0.0.1:5432/chat. (default: $DATABASE_URL, else in memory)")
    var databaseURL: String?

    @Option(help: "The PostgreSQL schema for the chat's tables; instances sharing a database and schema share the chat.")
    var databaseSchema = DatabaseConfiguration.defaultSchema

    @Option(help: "PostgreSQL connections for statements (one more listens for events).")
    var databasePoolSize = DatabaseConfiguration.defaultPoolSize

    @Option(help: "Batches of posts committing at once; the posts that arrive meanwhile wait for the next batch.")
    var databaseCommitsInFlight = DatabaseConfiguration.defaultCommitsInFlight

    func validate() throws {
        if !PostgresSchema.isValidName(databaseSchema) {
            throw ValidationError("--database-schema must be lower-case letters, digits and '_', not starting with a digit")
        }
        if !(1...64).contains(databasePoolSize) { throw ValidationError("--database-pool-size must be from 1 to 64") }
        if !(1...16).contains(databaseCommitsInFlight) { throw ValidationError("--database-commits-in-flight must be from 1 to 16") }
    }

    /// The database `--database-url` names, else `$DATABASE_URL` (when not empty); nil keeps the chat in memory.
    func configuration(environment: [String: String]) -> DatabaseConfiguration? {
        guard let url = databaseURL ?? environment["DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        return DatabaseConfiguration(
            url: url, schema: databaseSchema, poolSize: databasePoolSize, commitsInFlight: databaseCommitsInFlight)
    }
}
