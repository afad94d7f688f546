import CoreMetrics
import HTTPServer
import Prometheus
import Synchronization

/// The server's metrics, through swift-metrics into a Prometheus registry of its own (not the
/// process-wide `MetricsSystem`, so servers started in one test process keep apart), written in
/// the text format by swift-prometheus on a scrape.
///
/// The hot paths count with relaxed atomic adds of their own (`TransportCounters`,
/// `LobbyDelivery.deliveredEvents`, `RequestMeters` per operation and status); a scrape carries
/// the increase since the last one into the Prometheus counters, reads the gauges, and appends
/// the request families that `RequestMeters` writes itself. Nothing on a request's path goes
/// through swift-metrics.
final class ChatMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Requests per operation and status, with their durations.
    let requests = RequestMeters()

    private let openConnections: CoreMetrics.Gauge
    private let openStreams: CoreMetrics.Gauge
    private let connectionsAccepted: CoreMetrics.Counter
    private let bytesWritten: CoreMetrics.Counter
    private let streamsCut: CoreMetrics.Counter
    private let connectionsShed: CoreMetrics.Counter
    private let clientLimitRefusals: CoreMetrics.Counter
    private let eventsDelivered: CoreMetrics.Counter
    /// `chat_postgres_*`, made at the first scrape of a store with a database engine: a store
    /// without one (memory) does not show them at all.
    private let engineMetrics: Mutex<EngineMetrics?> = Mutex(nil)
    private let factory: PrometheusMetricsFactory
    /// `chat_lobbies_by_streams{le=…}`: lobbies with at most that many open streams.
    private let lobbySizes: [(bound: Int?, gauge: CoreMetrics.Gauge)]
    /// The totals the counters were last brought up to.
    private let reported = Mutex(Totals())

    private struct EngineMetrics: Sendable {
        var connected: CoreMetrics.Gauge
        var reconnects: CoreMetrics.Counter
    }

    private struct Totals {
        var connectionsAccepted = 0
        var bytesWritten = 0
        var streamsCut = 0
        var connectionsShed = 0
        var clientLimitRefusals = 0
        var eventsDelivered = 0
        var reconnects = 0
    }

    init() {
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        openConnections = CoreMetrics.Gauge(label: "chat_http_connections_open", factory: factory)
        openStreams = CoreMetrics.Gauge(label: "chat_streams_open", factory: factory)
        connectionsAccepted = CoreMetrics.Counter(label: "chat_http_connections_accepted_total", factory: factory)
        bytesWritten = CoreMetrics.Counter(label: "chat_http_written_bytes_total", factory: factory)
        streamsCut = CoreMetrics.Counter(label: "chat_streams_cut_slow_reader_total", factory: factory)
        connectionsShed = CoreMetrics.Counter(label: "chat_http_connections_shed_total", factory: factory)
        clientLimitRefusals = CoreMetrics.Counter(label: "chat_http_client_limit_refusals_total", factory: factory)
        eventsDelivered = CoreMetrics.Counter(label: "chat_events_delivered_total", factory: factory)
        lobbySizes = (LobbySizeTally.bounds.map { Optional($0) } + [nil]).map { bound in
            (bound, CoreMetrics.Gauge(label: "chat_lobbies_by_streams", dimensions: [("le", bound.map(String.init) ?? "+Inf")], factory: factory))
        }
    }

    /// The text exposition: first brings every counter and gauge up to now.
    func scrape(server: HTTPServer?, store: (any StoreObservation)?) -> String {
        let transport = server?.counters.snapshot
        let engine = store?.engine
        let now = Totals(
            connectionsAccepted: transport?.connectionsAccepted ?? 0, bytesWritten: transport?.bytesWritten ?? 0,
            streamsCut: transport?.streamsCutForSlowReading ?? 0,
            connectionsShed: transport?.connectionsShed ?? 0, clientLimitRefusals: transport?.refusedForClientLimits ?? 0,
            eventsDelivered: LobbyDelivery.deliveredEvents.load(ordering: .relaxed), reconnects: engine?.reconnects ?? 0)
        reported.withLock { last in
            // Under the lock, so two scrapes at once never add the same increase twice.
            connectionsAccepted.increment(by: max(0, now.connectionsAccepted - last.connectionsAccepted))
            bytesWritten.increment(by: max(0, now.bytesWritten - last.bytesWritten))
            streamsCut.increment(by: max(0, now.streamsCut - last.streamsCut))
            connectionsShed.increment(by: max(0, now.connectionsShed - last.connectionsShed))
            clientLimitRefusals.increment(by: max(0, now.clientLimitRefusals - last.clientLimitRefusals))
            eventsDelivered.increment(by: max(0, now.eventsDelivered - last.eventsDelivered))
            if let engine {
                let metrics = engineMetrics.withLock { metrics in
                    if let metrics { return metrics }
                    let made = EngineMetrics(
                        connected: CoreMetrics.Gauge(label: "chat_postgres_connected", factory: factory),
                        reconnects: CoreMetrics.Counter(label: "chat_postgres_reconnects_total", factory: factory))
                    metrics = made
                    return made
                }
                metrics.reconnects.increment(by: max(0, now.reconnects - last.reconnects))
                metrics.connected.record(engine.isConnected ? 1 : 0)
            }
            last = now
        }
        openConnections.record(server?.connectionCount ?? 0)
        openStreams.record(transport?.streamsOpen ?? 0)
        let lobbies = store?.lobbiesByStreams() ?? []
        for (index, (_, gauge)) in lobbySizes.enumerated() {
            gauge.record(index < lobbies.count ? lobbies[index] : 0)
        }
        return registry.emitToString() + requests.render()
    }
}
