import CoreMetrics
import HTTPServer
import Prometheus
import Synchronization

/// The server's metrics, through swift-metrics into a Prometheus registry of its own (not the
/// process-wide `MetricsSystem`, so servers started in one test process keep apart), written in
/// the text format by swift-prometheus on a scrape.
///
/// The hot paths count with relaxed atomic adds of their own (`TransportCounters`,
/// `LobbyDelivery.deliveredEvents`); a scrape carries the increase since the last one into the
/// Prometheus counters and reads the gauges. Only a request does more: one counter and one
/// histogram series per operation and status.
final class ChatMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private let openConnections: CoreMetrics.Gauge
    private let openStreams: CoreMetrics.Gauge
    private let connectionsAccepted: CoreMetrics.Counter
    private let bytesWritten: CoreMetrics.Counter
    private let streamsCut: CoreMetrics.Counter
    private let connectionsShed: CoreMetrics.Counter
    private let clientLimitRefusals: CoreMetrics.Counter
    private let eventsDelivered: CoreMetrics.Counter
    private let engineConnected: CoreMetrics.Gauge
    private let engineReconnects: CoreMetrics.Counter
    /// `chat_lobbies_by_streams{le=…}`: lobbies with at most that many open streams.
    private let lobbySizes: [(bound: Int?, gauge: CoreMetrics.Gauge)]
    /// The totals the counters were last brought up to.
    private let reported = Mutex(Totals())
    private let requestSeries = Mutex<[RequestKey: RequestSeries]>([:])

    private struct Totals {
        var connectionsAccepted = 0
        var bytesWritten = 0
        var streamsCut = 0
        var connectionsShed = 0
        var clientLimitRefusals = 0
        var eventsDelivered = 0
        var reconnects = 0
    }

    private struct RequestKey: Hashable {
        var operation: String
        var status: Int
    }

    private struct RequestSeries: Sendable {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        self.factory = factory
        openConnections = CoreMetrics.Gauge(label: "chat_http_connections_open", factory: factory)
        openStreams = CoreMetrics.Gauge(label: "chat_streams_open", factory: factory)
        connectionsAccepted = CoreMetrics.Counter(label: "chat_http_connections_accepted_total", factory: factory)
        bytesWritten = CoreMetrics.Counter(label: "chat_http_written_bytes_total", factory: factory)
        streamsCut = CoreMetrics.Counter(label: "chat_streams_cut_slow_reader_total", factory: factory)
        connectionsShed = CoreMetrics.Counter(label: "chat_http_connections_shed_total", factory: factory)
        clientLimitRefusals = CoreMetrics.Counter(label: "chat_http_client_limit_refusals_total", factory: factory)
        eventsDelivered = CoreMetrics.Counter(label: "chat_events_delivered_total", factory: factory)
        engineConnected = CoreMetrics.Gauge(label: "chat_postgres_connected", factory: factory)
        engineReconnects = CoreMetrics.Counter(label: "chat_postgres_reconnects_total", factory: factory)
        lobbySizes = (LobbySizeTally.bounds.map { Optional($0) } + [nil]).map { bound in
            (bound, CoreMetrics.Gauge(label: "chat_lobbies_by_streams", dimensions: [("le", bound.map(String.init) ?? "+Inf")], factory: factory))
        }
    }

    /// Counts one answered request of `operation` (an `operationId`, or `none`) and how long the
    /// responder took (for a stream: until its head).
    func recordRequest(operation: String, status: Int, nanoseconds: Int64) {
        let key = RequestKey(operation: operation, status: status)
        let series = requestSeries.withLock { series in
            if let known = series[key] { return known }
            let dimensions = [("operation", operation), ("status", String(status))]
            let made = RequestSeries(
                count: CoreMetrics.Counter(label: "chat_http_requests_total", dimensions: dimensions, factory: factory),
                duration: CoreMetrics.Timer(label: "chat_http_request_duration_seconds", dimensions: dimensions, factory: factory))
            series[key] = made
            return made
        }
        series.count.increment()
        series.duration.recordNanoseconds(nanoseconds)
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
            engineReconnects.increment(by: max(0, now.reconnects - last.reconnects))
            last = now
        }
        openConnections.record(server?.connectionCount ?? 0)
        openStreams.record(transport?.streamsOpen ?? 0)
        engineConnected.record(engine.map { $0.isConnected ? 1 : 0 } ?? 0)
        let lobbies = store?.lobbiesByStreams() ?? []
        for (index, (_, gauge)) in lobbySizes.enumerated() {
            gauge.record(index < lobbies.count ? lobbies[index] : 0)
        }
        return registry.emitToString()
    }
}
