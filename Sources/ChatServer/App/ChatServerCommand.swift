import ArgumentParser
import Dispatch
import Foundation
import Logging
import PostgresClient

/// `swift run ChatServer [options]`: the chat backend on 127.0.0.1:3000.
@main
struct ChatServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ChatServer",
        abstract: "A chat backend with Server-Sent Events, generated from api.yaml.",
        discussion: "Durations are in seconds (fractions allowed). Sizes are in bytes.")

    @OptionGroup(title: "Network")
    var network: NetworkOptions

    @OptionGroup(title: "HTTP limits")
    var httpLimits: HTTPLimitOptions

    @OptionGroup(title: "Per-client bounds")
    var clientBounds: ClientBoundOptions

    @OptionGroup(title: "Chat limits")
    var chatLimits: ChatLimitOptions

    @OptionGroup(title: "Presence")
    var presence: PresenceOptions

    @OptionGroup(title: "Rate limits")
    var rateLimits: RateLimitOptions

    @OptionGroup(title: "Database")
    var database: DatabaseOptions

    @OptionGroup(title: "Operations")
    var operations: OperationOptions

    func validate() throws {
        // Else every body larger than the share (and every chunked one, which reserves the
        // largest size) would be refused for good, with a Retry-After that never comes true.
        let share = clientBounds.maxBodyBytesPerClient
        if share > 0, share < httpLimits.maxBodyBytes {
            throw ValidationError("--max-body-bytes-per-client (\(share)) must be 0 or at least --max-body-bytes (\(httpLimits.maxBodyBytes))")
        }
    }

    /// The configuration these options describe; each group validates its own options.
    func makeConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ChatServerConfiguration {
        var configuration = ChatServerConfiguration()
        try network.apply(to: &configuration, environment: environment)
        httpLimits.apply(to: &configuration.http.limits)
        clientBounds.apply(to: &configuration.http.limits)
        chatLimits.apply(to: &configuration.chat)
        presence.apply(to: &configuration.chat.presence)
        configuration.rateLimits = rateLimits.configuration
        configuration.database = database.configuration(environment: environment)
        operations.apply(to: &configuration)
        return configuration
    }

    func run() throws {
        let level = operations.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let application: ChatApplication
        do {
            application = try ChatApplication(configuration: try makeConfiguration())
        } catch let error as PostgresError {
            throw ValidationError("\(error)")
        }
        let address = try application.start()
        // Unbuffered, so a parent process reading the address sees it at once.
        FileHandle.standardOutput.write(Data("ChatServer listening on http://\(address)\n".utf8))
        ShutdownSignals.install {
            application.shutdown()
            Foundation.exit(0)
        }
        dispatchMain()
    }
}
