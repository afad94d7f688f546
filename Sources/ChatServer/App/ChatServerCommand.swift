import ArgumentParser
import Dispatch
import Foundation
import HTTPServer
import Logging
import PostgresClient

/// `swift run ChatServer [options]`: the chat backend on 127.0.0.1:3000.
@main
struct ChatServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ChatServer",
        abstract: "A chat backend with Server-Sent Events, generated from api.yaml.",
        discussion: "Durations are in seconds (fractions allowed). Sizes are in bytes.")

    @Option(help: "The IPv4 or IPv6 address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one. (default: $PORT, else 3000)")
    var port: Int?

    @Option(help: "Longest request line (414 past it).")
    var maxRequestLineBytes = 8 * 1024

    @Option(help: "Largest header block (431 past it).")
    var maxHeaderBytes = 16 * 1024

    @Option(help: "Most header fields in a request (431 past it).")
    var maxHeaderCount = 100

    @Option(help: "Largest request body (413 past it).")
    var maxBodyBytes = 64 * 1024

    @Option(help: "Time a client has to send a request head (408 past it).")
    var headerTimeout = 10.0

    @Option(help: "Time a kept-alive connection may wait for its next request.")
    var idleTimeout = 60.0

    @Option(help: "Unsent output a stream may queue before it is closed.")
    var maxStreamOutputBytes = 1024 * 1024

    @Option(help: "Unsent output an ordinary response may queue before its connection is closed.")
    var maxResponseOutputBytes = HTTPLimits().maxResponseOutputBytes

    @Option(help: "Unsent output all connections together may queue; past it, the connection that passes it is closed.")
    var maxTotalOutputBytes = HTTPLimits().maxTotalOutputBytes

    @Option(help: "Bytes of request bodies all connections together may be receiving; a body past it is answered 503 before it is read.")
    var maxTotalBodyBytes = HTTPLimits().maxTotalBodyBytes

    @Option(help: "Most open connections; at it, the idlest connection of the client holding the most makes room, else 503.")
    var maxConnections = 10_000

    @Option(help: "Most connections one client (an IPv4 address, an IPv6 /64) may hold open (429 past it); 0 is no bound.")
    var maxConnectionsPerClient = HTTPLimits().maxConnectionsPerClient

    @Option(help: "Most connections one client may hold open without sending a request; one more closes the idlest of them; 0 is no bound.")
    var maxIdleConnectionsPerClient = HTTPLimits().maxIdleConnectionsPerClient

    @Option(help: "Most streams one client may hold open on this instance (429 past it); 0 is no bound.")
    var maxStreamsPerClient = HTTPLimits().maxStreamsPerClient

    @Option(help: ArgumentHelp(
        "A proxy whose X-Forwarded-For / Forwarded names the client (an address or a CIDR block; repeat or separate with commas).",
        valueName: "address-or-cidr"))
    var trustedProxy: [String] = []

    @Option(help: "The header the trusted proxies name the client in: x-forwarded-for or forwarded (RFC 7239); the other is ignored.")
    var forwardedHeader: TrustedProxies.Header = .xForwardedFor

    @Option(help: "Most characters in a message (at most the spec's 4000).")
    var maxMessageLength = 4000

    @Option(help: "Events kept per lobby for resuming streams.")
    var historySize = 1000

    @Option(help: "Silence before a stream gets a ': ping' comment.")
    var heartbeat = 15.0

    @Option(help: "The 'retry:' a stream starts with, in milliseconds.")
    var retry = 3000

    @Option(help: "The origins CORS allows: '*' any; a comma-separated list of exact origins, each echoed with 'Vary: Origin'; 'none' sends no CORS headers.")
    var corsOrigin = "*"

    @Option(help: "Time shutdown may take in all: handlers in flight, then delivering queued events.")
    var shutdownTimeout = 10.0

    @Option(help: "What every problem 'type' starts with; the kind follows ('…/not-found').")
    var problemTypeBase = "https://chat.example/problems/"

    @Option(help: "Keep the chat in PostgreSQL: a libpq URL such as postgres://user@127.0.0.1:5432/chat. (default: $DATABASE_URL, else in memory)")
    var databaseURL: String?

    @Option(help: "The PostgreSQL schema for the chat's tables; instances sharing a database and schema share the chat.")
    var databaseSchema = "chat"

    @Option(help: "PostgreSQL connections for statements (one more listens for events).")
    var databasePoolSize = 4

    @Option(help: """
        How a request shows who acts. 'token': join, leave, post and the stream need the user's \
        token from sign-up (401/403 otherwise). 'none': anyone may act as any user id; for \
        trusted networks only.
        """)
    var auth: AuthenticationMode = .token

    @Option(help: "Most users the store holds, over every instance sharing it (503 past it).")
    var maxUsers = ChatLimits().maxUsers

    @Option(help: "Most lobbies the store holds, over every instance sharing it (503 past it).")
    var maxLobbies = ChatLimits().maxLobbies

    @Option(help: "Seconds a lobby with no members and no event stays before it is retired and its code freed; 0 is never.")
    var emptyLobbyLifetime = ChatLimits().emptyLobbyLifetime.seconds

    @Option(help: "Seconds a user that never joined a lobby stays before it expires; 0 is never.")
    var unusedUserLifetime = ChatLimits().unusedUserLifetime.seconds

    @Option(help: "Most streams one user may hold open on this instance (429 past it).")
    var maxStreamsPerUser = ChatLimits().maxStreamsPerUser

    @Option(help: "The memory store's budget for retained messages, in MiB; past it the oldest messages of the fullest lobbies go first.")
    var retainedMessagesMib = ChatLimits().retainedBytesBudget / (1024 * 1024)

    @Option(help: "Events a lobby may have waiting for its streams before posts to it are answered 503.")
    var maxDeliveryBacklog = ChatLimits().maxDeliveryBacklog

    @Option(help: "'off' turns every rate limit off (the flags below then still turn single ones on).")
    var rateLimits: RateLimitSwitch = .on

    @Option(help: "Posts per user: RATE:BURST, requests per second and how many at once; 0 is off.")
    var ratePosts = RateOption(RateLimitConfiguration().posts)

    @Option(help: "Joins and leaves per user (RATE:BURST).")
    var rateMembership = RateOption(RateLimitConfiguration().membership)

    @Option(help: "Streams opened per user (RATE:BURST).")
    var rateStreams = RateOption(RateLimitConfiguration().streams)

    @Option(help: "Users created per client address (RATE:BURST).")
    var rateSignups = RateOption(RateLimitConfiguration().signups)

    @Option(help: "Lobbies created per client address (RATE:BURST).")
    var rateLobbies = RateOption(RateLimitConfiguration().lobbies)

    @Option(help: "Requests without a token per client address (RATE:BURST); health and metrics are exempt.")
    var rateAnonymous = RateOption(RateLimitConfiguration().anonymous)

    @Flag(inversion: .prefixedNo, help: "Count requests and answer GET /metrics; --no-metrics answers it 404.")
    var metrics = true

    @Flag(inversion: .prefixedNo, help: "Limit GET /metrics per client address like any route; --no-limit-metrics exempts it, as the health probes are.")
    var limitMetrics = true

    @Option(help: "trace, debug, info, notice, warning, error or critical; debug logs every request.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be from 0 to 65535") }
        if maxMessageLength < 1 || maxMessageLength > 4000 {
            throw ValidationError("--max-message-length must be from 1 to 4000 (the spec's maxLength)")
        }
        if !PostgresSchema.isValidName(databaseSchema) {
            throw ValidationError("--database-schema must be lower-case letters, digits and '_', not starting with a digit")
        }
        if !(1...64).contains(databasePoolSize) { throw ValidationError("--database-pool-size must be from 1 to 64") }
        if historySize < 0 { throw ValidationError("--history-size must not be negative") }
        if problemTypeBase.isEmpty || problemTypeBase.contains(where: \.isWhitespace) {
            throw ValidationError("--problem-type-base must be a URI (no spaces), such as https://example.com/problems/")
        }
        for name in trustedProxy.flatMap({ $0.split(separator: ",") }) where AddressRange(name.trimmingCharacters(in: .whitespaces)) == nil {
            throw ValidationError("--trusted-proxy takes IP addresses and CIDR blocks (127.0.0.1, 10.0.0.0/8, ::1), not '\(name)'")
        }
        for (name, value) in [("--empty-lobby-lifetime", emptyLobbyLifetime), ("--unused-user-lifetime", unusedUserLifetime)]
        where !(value >= 0) {
            throw ValidationError("\(name) must not be negative (0 is never)")
        }
        for (name, value) in [("--max-connections-per-client", maxConnectionsPerClient),
                              ("--max-idle-connections-per-client", maxIdleConnectionsPerClient),
                              ("--max-streams-per-client", maxStreamsPerClient)]
        where value < 0 {
            throw ValidationError("\(name) must not be negative (0 is no bound)")
        }
        for (name, value) in [("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout), ("--heartbeat", heartbeat), ("--shutdown-timeout", shutdownTimeout)]
        where !(value > 0) {
            throw ValidationError("\(name) must be positive")
        }
        for (name, value) in [("--max-request-line-bytes", maxRequestLineBytes), ("--max-header-bytes", maxHeaderBytes),
                              ("--max-header-count", maxHeaderCount), ("--max-body-bytes", maxBodyBytes),
                              ("--max-stream-output-bytes", maxStreamOutputBytes), ("--max-connections", maxConnections),
                              ("--max-response-output-bytes", maxResponseOutputBytes), ("--max-total-output-bytes", maxTotalOutputBytes),
                              ("--max-total-body-bytes", maxTotalBodyBytes),
                              ("--max-users", maxUsers), ("--max-lobbies", maxLobbies), ("--max-streams-per-user", maxStreamsPerUser),
                              ("--retained-messages-mib", retainedMessagesMib), ("--max-delivery-backlog", maxDeliveryBacklog)]
        where value < 1 {
            throw ValidationError("\(name) must be positive")
        }
    }

    /// The configuration these options describe.
    func makeConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ChatServerConfiguration {
        var configuration = ChatServerConfiguration()
        let resolvedPort: Int
        if let port {
            resolvedPort = port
        } else if let text = environment["PORT"] {
            guard let value = Int(text), (0...65535).contains(value) else { throw ValidationError("PORT must be a port number, not '\(text)'") }
            resolvedPort = value
        } else {
            resolvedPort = 3000
        }
        configuration.http.host = host
        configuration.http.port = resolvedPort
        configuration.http.limits.maxRequestLineBytes = maxRequestLineBytes
        configuration.http.limits.maxHeaderBytes = maxHeaderBytes
        configuration.http.limits.maxHeaderCount = maxHeaderCount
        configuration.http.limits.maxBodyBytes = maxBodyBytes
        configuration.http.limits.headerTimeout = .seconds(headerTimeout)
        configuration.http.limits.idleTimeout = .seconds(idleTimeout)
        configuration.http.limits.maxStreamOutputBytes = maxStreamOutputBytes
        configuration.http.limits.maxResponseOutputBytes = maxResponseOutputBytes
        configuration.http.limits.maxTotalOutputBytes = maxTotalOutputBytes
        configuration.http.limits.maxConnections = maxConnections
        configuration.http.limits.maxTotalBodyBytes = maxTotalBodyBytes
        configuration.http.limits.maxConnectionsPerClient = maxConnectionsPerClient
        configuration.http.limits.maxIdleConnectionsPerClient = maxIdleConnectionsPerClient
        configuration.http.limits.maxStreamsPerClient = maxStreamsPerClient
        configuration.http.trustedProxies = TrustedProxies(
            trustedProxy.flatMap { $0.split(separator: ",") }.compactMap { AddressRange($0.trimmingCharacters(in: .whitespaces)) },
            header: forwardedHeader)
        configuration.chat.maxMessageLength = maxMessageLength
        configuration.chat.historySize = historySize
        configuration.chat.heartbeat = .seconds(heartbeat)
        configuration.chat.retryMilliseconds = retry
        configuration.chat.maxUsers = maxUsers
        configuration.chat.maxLobbies = maxLobbies
        configuration.chat.maxStreamsPerUser = maxStreamsPerUser
        configuration.chat.emptyLobbyLifetime = .seconds(emptyLobbyLifetime)
        configuration.chat.unusedUserLifetime = .seconds(unusedUserLifetime)
        configuration.chat.retainedBytesBudget = retainedMessagesMib * 1024 * 1024
        configuration.chat.maxDeliveryBacklog = maxDeliveryBacklog
        configuration.corsOrigins = corsOrigin == "none" ? [] : corsOrigin.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        configuration.shutdownDeadline = .seconds(shutdownTimeout)
        configuration.problemTypeBase = problemTypeBase
        configuration.authentication = auth
        configuration.rateLimits = rateLimitConfiguration
        configuration.metricsEnabled = metrics
        configuration.metricsRateLimited = limitMetrics
        if let url = databaseURL ?? environment["DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) {
            configuration.database = DatabaseConfiguration(url: url, schema: databaseSchema, poolSize: databasePoolSize)
        }
        return configuration
    }

    func run() throws {
        let level = logLevel
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

extension Logger.Level: @retroactive ExpressibleByArgument {}

extension AuthenticationMode: ExpressibleByArgument {}

extension TrustedProxies.Header: ExpressibleByArgument {}
