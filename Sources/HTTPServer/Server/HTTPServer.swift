import Dispatch
import EventLoop
import Synchronization

/// An HTTP/1.1 server: listens, parses requests, asks a responder, writes the answers.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), responder: router)
/// let address = try server.start()
/// …
/// server.shutdown(deadline: .seconds(5))
/// ```
public final class HTTPServer: Sendable {
    /// What the server was made with.
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let log: (@Sendable (String) -> Void)?
    private let registry = ConnectionRegistry()
    /// What the connections have done: accepted, bytes written, streams begun, ended and cut.
    public let counters = TransportCounters()
    /// The unsent bytes of every connection, against `HTTPLimits.maxTotalOutputBytes`.
    private let outputBudget: OutputBudget
    /// The bodies every connection is receiving, against `HTTPLimits.maxTotalBodyBytes`.
    private let bodyBudget: BodyBudget
    /// One serial queue per core, each with the task executor its connections' responders use.
    private let ioExecutors: [QueueExecutor]
    private let lifecycle = Mutex(Lifecycle.idle)
    /// Gives memory back after a crowd of connections is gone; runs while the server does.
    private let memoryRelease = Mutex<MemoryRelease?>(nil)

    private enum Lifecycle {
        case idle
        case running(Listener)
        /// Shutting down; these run when it is done.
        case stopping([@Sendable () -> Void])
        case stopped
    }

    /// A server that will answer with `responder`; `log` receives a line for each unexpected
    /// error (failed accepts and I/O other than peers going away).
    public init(
        configuration: HTTPServerConfiguration,
        responder: any HTTPResponder,
        log: (@Sendable (String) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.responder = responder
        self.log = log
        outputBudget = OutputBudget(limit: configuration.limits.maxTotalOutputBytes)
        bodyBudget = BodyBudget(
            limit: configuration.limits.maxTotalBodyBytes, smallBodyReserve: configuration.limits.smallBodyReserveBytes,
            perClient: configuration.limits.maxBodyBytesPerClient)
        let count = max(1, configuration.ioQueueCount ?? System.activeProcessorCount)
        ioExecutors = (0..<count).map { QueueExecutor(queue: DispatchQueue(label: "HTTPServer.io.\($0)")) }
    }

    /// Binds, listens and starts accepting; returns the bound address (with the port the
    /// system chose if the configuration said 0). Also raises the open-file limit to its hard
    /// limit and makes `SIGPIPE` ignored for the process.
    @discardableResult
    public func start() throws(HTTPServerError) -> SocketAddress {
        var host = configuration.host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let resolved = System.resolve(host: host, port: configuration.port) else {
            throw .invalidAddress(host: configuration.host, port: configuration.port)
        }
        return try lifecycle.withLock { lifecycle throws(HTTPServerError) -> SocketAddress in
            guard case .idle = lifecycle else { throw .alreadyStarted }
            System.ignoreBrokenPipeSignal()
            do throws(SystemError) {
                try System.raiseOpenFileLimit()
            } catch {
                log?("could not raise the open-file limit: \(error)")
            }
            let listener: Listener
            do throws(SystemError) {
                // Each I/O queue's connections are watched by an epoll thread of its own, which
                // runs their work itself (`SocketWatcher.watch(_:on:inline:)`).
                let watchers = try ioExecutors.indices.map { index throws(SystemError) in try SocketWatcher.shared(index) }
                listener = try Listener(address: resolved, backlog: configuration.backlog, watcher: watchers[0], log: log) {
                    [self] socket in accepted(socket, watchers: watchers)
                }
            } catch {
                throw HTTPServerError(error)
            }
            do throws(SystemError) {
                try listener.start()
            } catch {
                listener.stop()
                throw HTTPServerError(error)
            }
            lifecycle = .running(listener)
            memoryRelease.withLock { $0 = MemoryRelease { [registry] in registry.crowdLeft(threshold: 1000) } }
            return listener.address
        }
    }

    /// The bound address; nil before `start()` and after shutdown.
    public var address: SocketAddress? {
        lifecycle.withLock { lifecycle in
            if case .running(let listener) = lifecycle { return listener.address }
            return nil
        }
    }

    /// The bound port; 0 before `start()` and after shutdown.
    public var port: Int { address?.port ?? 0 }

    /// Connections open right now.
    public var connectionCount: Int { registry.count }

    /// Connections of counted clients waiting for a request, as they last reported (a
    /// connection says so after its response is written, so a moment after the client has it).
    var idleConnectionCount: Int { registry.idleCount }

    /// Connections of counted clients receiving a request head, as they last reported.
    var stalledHeadCount: Int { registry.stalledHeadCount }

    /// Bytes reserved right now for request bodies being received (`HTTPLimits.maxTotalBodyBytes`).
    public var bodyBytesInFlight: Int { bodyBudget.total }

    /// Of those, what `client`'s connections hold.
    func bodyBytesInFlight(of client: ClientID) -> Int { bodyBudget.held(by: client) }

    /// Whether the server is listening and not shutting down.
    public var isAccepting: Bool {
        lifecycle.withLock { if case .running = $0 { true } else { false } }
    }

    /// Shuts down gracefully, in order, and returns when done:
    /// 1. stops accepting; every request already in progress is answered (with
    ///    `Connection: close`), a request that arrives later is refused with `503`, idle
    ///    connections close after `HTTPLimits.shutdownGrace`;
    /// 2. once no connection can start a request any more, awaits `beforeEndingStreams`
    ///    (where an application writes the events it still holds to its open streams);
    /// 3. ends every open stream after its queued bytes, and waits for the last connection.
    /// Whatever is still open when `deadline` has passed is closed at once. Blocks the calling
    /// thread: never call it from a responder.
    public func shutdown(deadline: Duration, beforeEndingStreams: (@Sendable () async -> Void)? = nil) {
        let done = DispatchSemaphore(value: 0)
        shutdown(deadline: deadline, beforeEndingStreams: beforeEndingStreams) { done.signal() }
        done.wait()
    }

    /// `shutdown(deadline:beforeEndingStreams:)` without blocking: `completion` runs when it is done.
    public func shutdown(
        deadline: Duration, beforeEndingStreams: (@Sendable () async -> Void)? = nil,
        completion: @escaping @Sendable () -> Void
    ) {
        // A second call waits for the first shutdown rather than starting another.
        enum Start { case now(Listener?), alreadyStopping, alreadyStopped }
        let start = lifecycle.withLock { lifecycle -> Start in
            switch lifecycle {
            case .idle:
                lifecycle = .stopping([completion])
                return .now(nil)
            case .running(let listener):
                lifecycle = .stopping([completion])
                return .now(listener)
            case .stopping(let completions):
                lifecycle = .stopping(completions + [completion])
                return .alreadyStopping
            case .stopped:
                return .alreadyStopped
            }
        }
        guard case .now(let listener) = start else {
            if case .alreadyStopped = start { completion() }
            return
        }
        let isStopping: @Sendable () -> Bool = { [self] in
            lifecycle.withLock { if case .stopping = $0 { true } else { false } }
        }
        let finish: @Sendable () -> Void = { [self] in
            let completions = lifecycle.withLock { lifecycle -> [@Sendable () -> Void] in
                guard case .stopping(let completions) = lifecycle else { return [] }
                lifecycle = .stopped
                return completions
            }
            memoryRelease.withLock { $0?.stop() }
            for completion in completions { completion() }
        }
        let connections = registry.beginDraining()
        let shutdownExecutor = ioExecutors[0]
        let endStreams: @Sendable () -> Void = { [registry] in
            // After the deadline closed everything there is nothing left to end.
            guard isStopping() else { return }
            let end: @Sendable () -> Void = {
                for connection in registry.all { connection.endStream() }
                registry.whenEmpty(finish)
            }
            guard let beforeEndingStreams else { return end() }
            // On an I/O queue, not the cooperative pool: a caller may be blocking a pool thread
            // in `shutdown(deadline:)`, and the pool has only one thread per core.
            Task(executorPreference: shutdownExecutor) {
                await beforeEndingStreams()
                end()
            }
        }
        let stopListening: @Sendable () -> Void = { [registry] in
            for connection in connections { connection.shutdown() }
            registry.whenSettled(endStreams)
        }
        if let listener { listener.stop(completion: stopListening) } else { stopListening() }
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: deadline.nanoseconds))) { [registry] in
            for connection in registry.all { connection.forceClose() }
            registry.whenEmpty(finish)
        }
    }

    /// `shutdown(deadline:beforeEndingStreams:)` for async callers.
    public func shutdown(deadline: Duration, beforeEndingStreams: (@Sendable () async -> Void)? = nil) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            shutdown(deadline: deadline, beforeEndingStreams: beforeEndingStreams) { continuation.resume() }
        }
    }

    // MARK: Accepting

    private func accepted(_ socket: Int32, watchers: [SocketWatcher]) {
        let limits = configuration.limits
        let peer = (try? System.peerAddress(of: socket)).flatMap { IPAddress($0.host) }
        // A trusted proxy speaks for many clients: its connections are not counted as one's.
        let client = peer.flatMap { configuration.trustedProxies.contains($0) ? nil : ClientID($0) }
        let environment = Connection.Environment(
            responder: responder,
            limits: limits,
            errorHeaders: configuration.errorHeaders,
            problems: configuration.problems,
            log: log,
            counters: counters,
            outputBudget: outputBudget,
            bodyBudget: bodyBudget,
            watcher: watchers[0],
            closed: { [registry] connection in registry.remove(connection) },
            settled: { [registry] connection in registry.settle(connection) },
            trustedProxies: configuration.trustedProxies,
            idleChanged: { [registry] connection, client, idleSince, unused, headStalled, now in
                registry.idleChanged(
                    connection, client: client, idleSince: idleSince, unused: unused, headStalled: headStalled, now: now,
                    maxIdle: limits.maxIdleConnectionsPerClient
                )?.shed(headGrace: ClientTable.silenceGrace)
            },
            reserveStream: { [registry] client in registry.reserveStream(for: client, limit: limits.maxStreamsPerClient) },
            releaseStream: { [registry] client in registry.releaseStream(of: client) }
        )
        let admission = registry.add(client: client, limits: limits, now: Connection.now()) { id in
            let index = Int(id % UInt64(ioExecutors.count))
            var environment = environment
            environment.watcher = watchers[index]
            return Connection(id: id, socket: socket, peer: peer, client: client, executor: ioExecutors[index], environment: environment)
        }
        switch admission {
        case .admitted(let connection, let shed):
            if let shed { registry.shed(shed, limits: limits) }
            counters.connectionAccepted()
            try? System.setNoDelay(socket)
            connection.start()
        case .refusedShuttingDown:
            refuse(socket, ServiceUnavailable.shuttingDown, headers: ServiceUnavailable.headers(configuration.errorHeaders))
        case .refusedAtLimit:
            refuse(socket, ServiceUnavailable.atLimit(limits.maxConnections), headers: ServiceUnavailable.headers(configuration.errorHeaders))
        case .refusedClientAtLimit:
            counters.refusedForClientLimit()
            refuse(socket, ClientLimit.connections(limits.maxConnectionsPerClient), headers: configuration.errorHeaders.setting("Retry-After", "1"))
        }
    }

    /// Answers `problem` on a socket that is not taken (over a limit, or accepted as shutdown
    /// began) and closes it, without waiting.
    private func refuse(_ socket: Int32, _ problem: ProblemDetails, headers: HTTPHeaders) {
        let response = configuration.problems.response(problem, headers: headers)
        // A problem response always has a byte body; the socket is closed below either way.
        let body: [UInt8] = if case .bytes(let bytes) = response.body { bytes } else { [] }
        var bytes: [UInt8] = []
        let head = ResponseHead(status: response.status, headers: response.headers, contentLength: body.count, connection: .close)
        ResponseEncoder.encode(head, date: HTTPDate.format(epochSeconds: System.wallClockSeconds()), into: &bytes)
        bytes.append(contentsOf: body)
        _ = bytes.withUnsafeBytes { buffer in try? System.send(socket, buffer) }
        try? System.shutdownWrite(socket)
        try? System.close(socket)
    }
}
