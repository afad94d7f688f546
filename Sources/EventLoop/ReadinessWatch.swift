import Dispatch

/// Readiness of a socket that is not the transport's own (a database client's, say), reported
/// by the same epoll thread that watches the server's connections, so that a client library's
/// non-blocking socket costs no thread of its own.
///
/// Level-triggered: while reading (or writing) is wanted and the socket is ready for it, the
/// handler keeps being called, one call at a time, on `queue`. `cancel()` on `queue` ends it;
/// the socket may be closed right after.
public final class ReadinessWatch: Sendable {
    /// What the socket is ready for.
    public struct Readiness: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let readable = Readiness(rawValue: 1 << 0)
        public static let writable = Readiness(rawValue: 1 << 1)
        /// epoll refused the socket: nothing will ever be reported for it.
        public static let failed = Readiness(rawValue: 1 << 2)
    }

    /// Why a socket could not be watched.
    public struct WatchError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    private let watch: SocketWatch

    /// Starts watching `socket` (for reading if `reading`); `handler` runs on `queue`.
    public init(
        socket: Int32, queue: DispatchQueue, reading: Bool = false,
        handler: @escaping @Sendable (Readiness) -> Void
    ) throws(WatchError) {
        let watcher: SocketWatcher
        do throws(SystemError) { watcher = try SocketWatcher.shared() } catch { throw WatchError(description: error.description) }
        watch = watcher.watch(socket, on: queue)
        watch.start { readiness in handler(Readiness(rawValue: readiness.rawValue)) }
        do throws(SystemError) {
            try watch.register(reading: reading)
        } catch {
            watch.cancel()
            throw WatchError(description: error.description)
        }
    }

    /// Turns reporting of readability on or off (any thread).
    public func watch(reading: Bool) { watch.watch(reading: reading) }

    /// Turns reporting of writability on or off (any thread).
    public func watch(writing: Bool) { watch.watch(writing: writing) }

    /// Ends the watch; once this has returned on the handler's queue, the handler is not called again.
    public func cancel() { watch.cancel() }
}
