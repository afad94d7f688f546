import Dispatch

/// Readiness of a socket that is not the transport's own (a database client's, say), reported
/// by the same epoll thread that watches the server's connections, so that a client library's
/// non-blocking socket costs no thread of its own: a `SocketWatch` on the shared watcher,
/// registered at once.
///
/// Level-triggered: while reading (or writing) is wanted and the socket is ready for it, the
/// handler keeps being called, one call at a time, on `queue`. `cancel()` on `queue` ends it;
/// the socket may be closed right after.
package final class ReadinessWatch: Sendable {
    /// What the socket is ready for.
    package typealias Readiness = SocketWatch.Readiness

    /// Why a socket could not be watched.
    package struct WatchError: Error, CustomStringConvertible, Sendable {
        package let description: String
    }

    private let watch: SocketWatch

    /// Starts watching `socket` (for reading if `reading`); `handler` runs on `queue`.
    package init(
        socket: Int32, queue: DispatchQueue, reading: Bool = false,
        handler: @escaping @Sendable (Readiness) -> Void
    ) throws(WatchError) {
        let watcher: SocketWatcher
        do throws(SystemError) { watcher = try SocketWatcher.shared() } catch { throw WatchError(description: error.description) }
        watch = watcher.watch(socket, on: queue)
        watch.start(handler)
        do throws(SystemError) {
            try watch.register(reading: reading)
        } catch {
            watch.cancel()
            throw WatchError(description: error.description)
        }
    }

    /// Turns reporting of readability on or off (any thread).
    package func watch(reading: Bool) { watch.watch(reading: reading) }

    /// Turns reporting of writability on or off (any thread).
    package func watch(writing: Bool) { watch.watch(writing: writing) }

    /// Ends the watch; once this has returned on the handler's queue, the handler is not called again.
    package func cancel() { watch.cancel() }
}
