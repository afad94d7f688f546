import Dispatch
import Synchronization

/// A thread that waits on epoll for the sockets it is given, and hands each readiness to the
/// socket's `SocketWatch`, which runs its handler on the owner's serial queue (queued to it, or
/// inline: on this thread, inside `queue.sync`).
///
/// Why not Dispatch read and write sources: on Linux their epoll backend acknowledges a hang-up
/// (`EPOLLHUP`, which every reset or fully closed socket reports) on the source's own queue while
/// the manager thread may still be walking the same note's list of sources, and a freed source
/// is then read. `swift test` crashed there once in CI (`_dispatch_event_loop_drain`, reading a
/// write source's unote during the hang-up loop); see swift-corelibs-libdispatch #949 and #833.
/// Here epoll events carry a token, never a pointer: an event for a watch already cancelled finds
/// no entry and is dropped.
package final class SocketWatcher: Sendable {
    private let epoll: Int32
    private let registry = Mutex(Registry())

    private struct Registry {
        var watches: [UInt64: SocketWatch] = [:]
        var nextToken: UInt64 = 1
    }

    /// Events taken from the kernel in one wait.
    private static let batchSize = 256

    /// The process's first watcher, started on first use: `shared(0)`.
    package static func shared() throws(SystemError) -> SocketWatcher {
        try shared(0)
    }

    /// The process's `index`th watcher, each with an epoll thread of its own, started on first
    /// use. A server gives each of its I/O queues its own watcher, so that the thread that
    /// waits for a connection's socket can run the connection's work itself (`inline` watches).
    package static func shared(_ index: Int) throws(SystemError) -> SocketWatcher {
        try pool.withLock { pool throws(SystemError) -> SocketWatcher in
            while pool.count <= index {
                let watcher = try SocketWatcher()
                try System.startThread { watcher.run() }
                pool.append(watcher)
            }
            return pool[index]
        }
    }

    private static let pool = Mutex<[SocketWatcher]>([])

    private init() throws(SystemError) {
        epoll = try System.epollCreate()
    }

    // MARK: Watches

    /// A new watch on `socket` whose handler runs on `queue`. An `inline` watch's handler runs
    /// on this watcher's thread, inside `queue.sync`: no other thread is woken to read a
    /// request, and the registration stays armed between reports (no `epoll_ctl` per report).
    /// Give it only a queue whose work is short, and that this watcher serves alone: while the
    /// queue is busy, the thread waits, and so do the watcher's other sockets.
    package func watch(_ socket: Int32, on queue: DispatchQueue, inline: Bool = false) -> SocketWatch {
        registry.withLock { registry in
            let token = registry.nextToken
            registry.nextToken += 1
            let watch = SocketWatch(socket: socket, queue: queue, inline: inline, watcher: self, token: token)
            registry.watches[token] = watch
            return watch
        }
    }

    // MARK: For SocketWatch

    /// Removes the watch with `token`: later events for it are dropped.
    func remove(_ token: UInt64) {
        _ = registry.withLock { $0.watches.removeValue(forKey: token) }
    }

    func add(_ socket: Int32, events: System.EpollEvents, token: UInt64) throws(SystemError) {
        try System.epollAdd(epoll, socket, events: events, token: token)
    }

    func modify(_ socket: Int32, events: System.EpollEvents, token: UInt64) throws(SystemError) {
        try System.epollModify(epoll, socket, events: events, token: token)
    }

    func delete(_ socket: Int32) throws(SystemError) {
        try System.epollDelete(epoll, socket)
    }

    /// The descriptors epoll holds right now, from `/proc/self/fdinfo` (for tests).
    package func registeredDescriptors() throws(SystemError) -> Set<Int32> {
        Set(try registeredEvents().keys)
    }

    /// The event mask of each descriptor epoll holds right now, from `/proc/self/fdinfo` (for tests).
    package func registeredEvents() throws(SystemError) -> [Int32: UInt32] {
        let text = try System.readTextFile("/proc/self/fdinfo/\(epoll)")
        // One line per registration: "tfd:       12 events:       19 data: ..." (the mask in hex).
        var events: [Int32: UInt32] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("tfd:") {
            let words = line.split(separator: " ")
            guard words.count >= 4, let descriptor = Int32(words[1]), words[2] == "events:", let mask = UInt32(words[3], radix: 16) else { continue }
            events[descriptor] = mask
        }
        return events
    }

    // MARK: The thread

    private func run() {
        let buffer = System.makeEpollEventBuffer(capacity: Self.batchSize)
        while true {
            let count: Int
            do throws(SystemError) {
                count = try System.epollWait(epoll, buffer)
            } catch {
                // EBADF or EINVAL cannot happen to a descriptor only this class holds.
                fatalError("SocketWatcher: \(error)")
            }
            for index in 0..<count {
                let (events, token) = System.epollEvent(buffer, index)
                let watch = registry.withLock { $0.watches[token] }
                watch?.fired(events)
            }
        }
    }
}
