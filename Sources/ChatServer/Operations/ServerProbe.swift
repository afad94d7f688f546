import HTTPServer
import Synchronization

/// What `/readyz` and `/metrics` read, gathered so the handler holds one value: whether the
/// server accepts work, the store's own state, and the metrics (nil with `--no-metrics`).
final class ServerProbe: Sendable {
    /// The transport, once built (the handler is made before it); nil in handler-only tests.
    private let attached = Mutex<HTTPServer?>(nil)
    let store: (any StoreObservation)?
    let metrics: ChatMetrics?

    init(store: (any StoreObservation)? = nil, metrics: ChatMetrics? = nil) {
        self.store = store
        self.metrics = metrics
    }

    /// Tells the probe which server answers; it is ready only while that one accepts.
    func attach(_ server: HTTPServer) {
        attached.withLock { $0 = server }
    }

    /// The transport, once attached.
    var server: HTTPServer? { attached.withLock { $0 } }

    /// Listening and not shutting down, and the store ready.
    var isReady: Bool {
        let accepting = server?.isAccepting ?? true
        return accepting && (store?.isReady ?? true)
    }
}
