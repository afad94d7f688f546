import APIRuntime
import ChatAPI
import Dispatch
import Foundation
import HTTPServer
import Logging
import PostgresClient
import Synchronization

/// The chat server put together: store, handler, generated router, transport.
/// Tests start it in-process on port 0; `ChatServerCommand` starts it from the command line.
final class ChatApplication: Sendable {
    let configuration: ChatServerConfiguration
    let store: any ChatStore
    let server: HTTPServer
    private let logger: Logger
    /// Frees empty lobbies and unused users; started with the server.
    private let reclaimer = Mutex<Reclaimer?>(nil)

    /// Opens the store (connecting to PostgreSQL and migrating it, when configured) and builds
    /// the server; throws when the database cannot be reached.
    init(configuration: ChatServerConfiguration, logger: Logger = Logger(label: "chat")) throws {
        self.configuration = configuration
        self.logger = logger
        var chatLimits = configuration.chat
        chatLimits.maxReplayBytes = configuration.http.limits.maxStreamOutputBytes / 2
        chatLimits.maxBatchBytes = min(64 * 1024, configuration.http.limits.maxStreamOutputBytes / 8)
        store = try Self.openStore(configuration.database, limits: chatLimits)
        let problems = ProblemEncoder(typeBase: configuration.problemTypeBase)
        let options = RouterOptions(
            allowedOrigins: configuration.corsOrigins, problems: problems,
            onUnexpectedError: { [logger] report in
                logger.error("\(report)", metadata: ["operation": "\(report.operationId)", "requestId": "\(report.requestId)"])
            }, requiresCredentials: configuration.authentication == .token)
        let metrics = configuration.metricsEnabled ? ChatMetrics() : nil
        let probe = ServerProbe(store: store as? any StoreObservation, metrics: metrics)
        let rateLimits = ChatRateLimits(configuration.rateLimits)
        let authenticator = Authenticator(mode: configuration.authentication, store: store)
        let handler = ChatHandler(
            store: store, authenticator: authenticator, rateLimits: rateLimits,
            streamCount: StreamCount(limit: chatLimits.maxStreamsPerUser), probe: probe)
        // The router matches each request's path once; these key on the operation it names.
        let metering: any ServerMiddleware = if let metrics { MeteredOperations(metrics: metrics) } else { MetricsDisabled(options: options) }
        let limits = AddressRateLimiting(
            limits: rateLimits, authenticator: authenticator, options: options, metricsExempt: !configuration.metricsRateLimited)
        let router = APIRouter(handler: handler, options: options, middlewares: [metering, limits, AmbiguousCredentials(options: options)])
        // Wrapped only when it would log: the wrapper is one more async call on every request.
        let responder: any HTTPResponder = logger.logLevel <= .debug ? RequestLogger(next: router, logger: logger) : router
        let transportLogger = logger
        var http = configuration.http
        http.problems = problems  // the transport's own 4xx/5xx, under the same base
        if configuration.corsOrigins.contains("*") {
            // The transport's own 4xx answers too (they know no request's Origin to echo).
            http.errorHeaders.set("Access-Control-Allow-Origin", "*")
        }
        server = HTTPServer(configuration: http, responder: responder) { message in
            transportLogger.notice("\(message)")
        }
        probe.attach(server)
    }

    /// Binds and starts serving; returns the address it listens on.
    func start() throws -> SocketAddress {
        let address = try server.start()
        let sends = StreamSends.useByDefault(configuration.streamSends)
        if sends != configuration.streamSends {
            logger.warning("io_uring refused here: stream writes use send(2)", metadata: ["stream-sends": "\(configuration.streamSends.rawValue)"])
        }
        reclaimer.withLock { $0 = Reclaimer(store: store, logger: logger) }
        logger.info("listening", metadata: ["address": "\(address)"])
        return address
    }

    /// Stops accepting, lets requests in flight finish, writes every event already published
    /// to the open streams, then ends them (all within the deadline).
    func shutdown() {
        logger.info("shutting down")
        reclaimer.withLock { $0?.stop() }
        server.shutdown(deadline: configuration.shutdownDeadline) { [store] in
            await store.deliverPublishedEvents()
        }
        store.close()
        logger.info("stopped")
    }

    /// The memory store, or the PostgreSQL store opened (at start, so it may block) on a queue
    /// of its own: nothing here waits on the cooperative pool.
    private static func openStore(_ database: DatabaseConfiguration?, limits: ChatLimits) throws -> any ChatStore {
        guard let database else { return MemoryChatStore(limits: limits) }
        let opened = Mutex<Result<PostgresChatStore, PostgresError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: QueueExecutor(queue: DispatchQueue(label: "chat.open"))) {
            do throws(PostgresError) {
                let store = try await PostgresChatStore.open(database, limits: limits)
                opened.withLock { $0 = .success(store) }
            } catch {
                opened.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        return try opened.withLock { $0! }.get()
    }
}

/// Logs one line per request at debug level, then passes it on.
struct RequestLogger: HTTPResponder {
    let next: any HTTPResponder
    let logger: Logger

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let response = await next.respond(to: request)
        logger.debug("\(request.method) \(Self.redacted(request)) \(response.status.code)")
        return response
    }

    /// The path and query, with the value of `access_token` (a user's secret) left out.
    static func redacted(_ request: HTTPRequest) -> String {
        guard let query = request.query else { return String(request.path) }
        let fields = query.split(separator: "&", omittingEmptySubsequences: false).map { field in
            let name = field.split(separator: "=", maxSplits: 1).first.map { String($0).removingPercentEncoding ?? String($0) }
            return name == "access_token" ? "access_token=…" : String(field)
        }
        return "\(request.path)?\(fields.joined(separator: "&"))"
    }
}
