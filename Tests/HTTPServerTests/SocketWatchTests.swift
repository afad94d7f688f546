import Dispatch
import Glibc
import Testing
@testable import HTTPServer

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

    func peerSends(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(peer, $0.baseAddress, $0.count) }
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

    private func makeWatch(_ pair: SocketPair, _ log: ReadinessLog,
                           then react: @escaping @Sendable (SocketWatch, Int) -> Void = { _, _ in }) throws -> SocketWatch {
        let watch = try SocketWatcher.shared().watch(pair.watched, on: queue)
        watch.start { [queue] readiness in
            dispatchPrecondition(condition: .onQueue(queue))
            log.record(readiness)
            react(watch, log.count)
        }
        return watch
    }

    @Test func readabilityIsReportedAgainWhileDataWaitsUntilReadingIsTurnedOff() throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        // Nothing is read, so the socket stays readable; the third report turns reading off.
        let watch = try makeWatch(pair, log) { watch, count in
            if count == 3 { watch.watch(reading: false) }
        }
        defer { queue.sync { watch.cancel() } }
        pair.peerSends("x")
        watch.watch(reading: true)
        #expect(eventually { log.count == 3 })
        usleepMilliseconds(100)
        #expect(log.all == [.readable, .readable, .readable])
    }

    @Test func writabilityIsReportedOnlyWhileWanted() throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        let watch = try makeWatch(pair, log) { watch, _ in watch.watch(writing: false) }
        defer { queue.sync { watch.cancel() } }
        watch.watch(reading: true)
        usleepMilliseconds(50)
        #expect(log.count == 0, "nothing to read yet")
        watch.watch(writing: true)
        #expect(eventually { log.count == 1 })
        usleepMilliseconds(100)
        #expect(log.all == [.writable])
    }

    @Test func aHangUpWhileNothingIsWantedIsHeldUntilReadingIsWanted() throws {
        let pair = SocketPair()
        let log = ReadinessLog()
        let watch = try makeWatch(pair, log) { watch, _ in watch.watch(reading: false) }
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

    @Test func noReportArrivesAfterCancel() throws {
        // Races a pending report against `cancel()` on the owner's queue, many times.
        for _ in 0..<200 {
            let pair = SocketPair()
            let cancelled = Captured(false)
            let lateReports = Captured(0)
            let watch = try SocketWatcher.shared().watch(pair.watched, on: queue)
            watch.start { _ in if cancelled.value { lateReports.update { $0 += 1 } } }
            pair.peerSends("x")
            watch.watch(reading: true)
            watch.watch(writing: true)
            queue.sync {
                watch.cancel()
                cancelled.value = true
                pair.closeWatched()
            }
            queue.sync {}
            #expect(lateReports.value == 0)
        }
    }

    @Test func aReusedDescriptorReportsOnlyToItsNewWatch() throws {
        let first = SocketPair()
        let oldLog = ReadinessLog()
        let old = try makeWatch(first, oldLog)
        old.watch(reading: true)
        queue.sync { old.cancel() }
        // The descriptor number now names another socket, as after a close and an accept.
        let second = SocketPair()
        #expect(dup2(second.watched, first.watched) == first.watched)
        let newLog = ReadinessLog()
        let new = try SocketWatcher.shared().watch(first.watched, on: queue)
        new.start { readiness in
            newLog.record(readiness)
            new.watch(reading: false)
        }
        defer { queue.sync { new.cancel() } }
        new.watch(reading: true)
        second.peerSends("x")
        #expect(eventually { newLog.count == 1 })
        usleepMilliseconds(50)
        #expect(newLog.all == [.readable])
        #expect(oldLog.count == 0)
    }
}
