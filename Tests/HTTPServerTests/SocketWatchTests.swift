import Dispatch
import Glibc
import Testing
@testable import EventLoop

/// A connected pair of non-blocking Unix stream sockets: `watched` gets a `SocketWatch`, the
/// test plays the peer through `peer`.
private final class SocketPair {
    let watched: Int32
    let peer: Int32
    private var isWatchedClosed = false
    private var isPeerClosed = false

    init() {
        var descriptors: [Int32] = [0, 0]
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        precondition(socketpair(AF_UNIX, kind, 0, &descriptors) == 0, "socketpair failed: errno \(errno)")
        watched = descriptors[0]
        peer = descriptors[1]
    }

    /// Whether the peer's non-blocking write took all of `text` (a full buffer takes none).
    @discardableResult
    func peerSends(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(peer, $0.baseAddress, $0.count) } == bytes.count
    }

    func closePeer() {
        guard !isPeerClosed else { return }
        isPeerClosed = true
        Glibc.close(peer)
    }

    func closeWatched() {
        guard !isWatchedClosed else { return }
        isWatchedClosed = true
        Glibc.close(watched)
    }

    deinit {
        closePeer()
        closeWatched()
    }
}

/// Every readiness a watch reported, in order.
private final class ReadinessLog: Sendable {
    private let entries = Captured<[SocketWatch.Readiness]>([])

    func record(_ readiness: SocketWatch.Readiness) { entries.update { $0.append(readiness) } }
    var all: [SocketWatch.Readiness] { entries.value }
    var count: Int { entries.value.count }
}

@Suite struct SocketWatchTests {
    private let queue = DispatchQueue(label: "SocketWatchTests")

    private func makeWatch(_ pair: SocketPair, _ log: ReadinessLog, inline: Bool = false,
                           then react: @escaping @Sendable (SocketWatch, Int) -> Void = { _, _ in }) throws -> SocketWatch {
        let watch = try SocketWatcher.shared().watch(pair.watched, on: queue, inline: inline)
        watch.start { [queue] readiness in
            dispatchPrecondition(condition: .onQueue(queue))
            log.record(readiness)
            react(watch, log.count)
        }
        return watch
    }

    /// Inline or queued, a watch reports the same.
    @Test(arguments: [false, true]) func readabilityIsReportedAgainWhileDataWaitsUntilReadingIsTurnedOff(inline: Bool) throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        // Nothing is read, so the socket stays readable; the third report turns reading off.
        let watch = try makeWatch(pair, log, inline: inline) { watch, count in
            if count == 3 { watch.watch(reading: false) }
        }
        defer { queue.sync { watch.cancel() } }
        pair.peerSends("x")
        watch.watch(reading: true)
        #expect(eventually { log.count == 3 })
        usleepMilliseconds(100)
        #expect(log.all == [.readable, .readable, .readable])
    }

    @Test(arguments: [false, true]) func writabilityIsReportedOnlyWhileWanted(inline: Bool) throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        let watch = try makeWatch(pair, log, inline: inline) { watch, _ in watch.watch(writing: false) }
        defer { queue.sync { watch.cancel() } }
        watch.watch(reading: true)
        usleepMilliseconds(50)
        #expect(log.count == 0, "nothing to read yet")
        watch.watch(writing: true)
        #expect(eventually { log.count == 1 })
        usleepMilliseconds(100)
        #expect(log.all == [.writable])
    }

    @Test(arguments: [false, true]) func aHangUpWhileNothingIsWantedIsHeldUntilReadingIsWanted(inline: Bool) throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        let watch = try makeWatch(pair, log, inline: inline) { watch, _ in watch.watch(reading: false) }
        defer { queue.sync { watch.cancel() } }
        watch.watch(reading: true)
        watch.watch(reading: false)
        // A hang-up is reported whatever the mask: it must neither reach the handler nor spin.
        pair.closePeer()
        usleepMilliseconds(100)
        #expect(log.count == 0)
        #expect(watch.reportCount <= 1)
        watch.watch(reading: true)
        #expect(eventually { log.count == 1 })
        #expect(log.all == [.readable])
    }

    @Test func aReportQueuedBehindCancelIsDropped() throws {
        let pair = SocketPair()
        let calls = Captured(0)
        let watch = try SocketWatcher.shared().watch(pair.watched, on: queue)
        watch.start { _ in calls.update { $0 += 1 } }
        try watch.register()
        // The owner's queue is held, a cancel waits on it, and the report's delivery is queued
        // behind the cancel.
        let gate = DispatchSemaphore(value: 0)
        queue.async { gate.wait() }
        queue.async { watch.cancel() }
        pair.peerSends("x")
        watch.watch(reading: true)
        #expect(eventually { watch.reportCount == 1 })
        gate.signal()
        queue.sync {}
        #expect(calls.value == 0)
    }

    @Test func readingIsNotLostWhileAnotherThreadTogglesWriting() throws {
        let pair = SocketPair()
        let descriptor = pair.watched
        let received = Captured(0)
        let watch = try SocketWatcher.shared().watch(descriptor, on: queue)
        watch.start { readiness in
            guard readiness.contains(.readable) else { return }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 { received.update { $0 += count } }
        }
        defer { queue.sync { watch.cancel() } }
        watch.watch(reading: true)
        let stop = Captured(false)
        let toggler = DispatchQueue(label: "SocketWatchTests.toggler")
        toggler.async {
            var writing = false
            while !stop.value {
                writing.toggle()
                watch.watch(writing: writing)
            }
        }
        // One byte a write: a Unix socket's buffer holds only a few hundred such writes, so a
        // write the full buffer refuses is retried after the reader had time.
        for _ in 0..<2000 {
            var refusals = 0
            while !pair.peerSends("x"), refusals < 3000 {
                refusals += 1
                usleepMilliseconds(1)
            }
        }
        #expect(eventually { received.value == 2000 }, "received \(received.value) of 2000 bytes")
        stop.value = true
        toggler.sync {}
    }

    @Test func aDescriptorEpollRefusesFailsToRegister() throws {
        // epoll watches no character devices (EPERM).
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        let watch = try SocketWatcher.shared().watch(devNull, on: queue)
        defer { queue.sync { watch.cancel() } }
        #expect(throws: SystemError.self) { try watch.register() }
    }

    @Test func aLaterRefusalIsReportedAsFailedUnlessCancelled() throws {
        let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(devNull) }
        let log = ReadinessLog()
        let reported = try SocketWatcher.shared().watch(devNull, on: queue)
        reported.start { log.record($0) }
        reported.watch(reading: true)
        #expect(eventually { log.count == 1 })
        #expect(log.all == [.failed])
        queue.sync { reported.cancel() }

        let silentLog = ReadinessLog()
        let cancelled = try SocketWatcher.shared().watch(devNull, on: queue)
        cancelled.start { silentLog.record($0) }
        let gate = DispatchSemaphore(value: 0)
        queue.async { gate.wait() }
        queue.async { cancelled.cancel() }
        cancelled.watch(reading: true)
        gate.signal()
        queue.sync {}
        #expect(silentLog.count == 0)
    }

    /// Inline, the registration stays armed across reports (no `epoll_ctl` per report); queued,
    /// it is one-shot, enabled again after each.
    @Test(arguments: [false, true]) func anInlineRegistrationStaysArmedAcrossReports(inline: Bool) throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        let watcher = try SocketWatcher.shared()
        let watch = try makeWatch(pair, log, inline: inline)
        defer { queue.sync { watch.cancel() } }
        pair.peerSends("x")  // never read: readable at every report
        watch.watch(reading: true)
        #expect(eventually { log.count >= 3 })
        let oneShot = System.EpollEvents.oneShot.rawValue
        let mask = try #require(try watcher.registeredEvents()[pair.watched])
        #expect((mask & oneShot != 0) == !inline)
        #expect(mask & System.EpollEvents.input.rawValue != 0 || !inline)
        queue.sync { watch.watch(reading: false) }
        // Wanting nothing, an inline watch waits one-shot for a hang-up, as a queued one does.
        #expect(eventually { ((try? watcher.registeredEvents())?[pair.watched] ?? 0) & oneShot != 0 })
    }

    @Test func cancelRemovesTheRegistrationWhileTheSocketIsStillOpen() throws {
        let pair = SocketPair()
        let watcher = try SocketWatcher.shared()
        let watch = watcher.watch(pair.watched, on: queue)
        watch.start { _ in }
        try watch.register()
        watch.watch(reading: true)
        #expect(try watcher.registeredDescriptors().contains(pair.watched))
        queue.sync { watch.cancel() }
        // Checked before the close, while no other socket can have this number.
        #expect(try !watcher.registeredDescriptors().contains(pair.watched))
    }
}
