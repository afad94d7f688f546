/// One loop's share of the capacity scenario: idle streams opened, held, then checked with
/// check messages, one at a time.
///
/// `@unchecked Sendable`: built on the calling thread, then used only by the one loop thread
/// `ShardThreads` gives it in each phase, and read back only after that thread has finished
/// (the group's wait orders the accesses); nothing in it is shared with another shard.
final class CapacityShard: @unchecked Sendable {
    private let group: StreamGroup
    private let marker: [UInt8]
    /// Per stream, the index of the last check message it received (-1 before the first).
    private var lastCheck: [Int]
    /// The check message being awaited.
    private var currentCheck = 0
    /// Streams that received the current check message.
    private(set) var receivedCheck = 0
    /// When the last of them did.
    private(set) var lastCheckAt: UInt64 = 0
    private(set) var failure: (any Error)?

    /// A shard holding one stream per request; the check message carries `nonce`.
    init(address: LoopbackAddress, requests: [[UInt8]], nonce: String, maxConnecting: Int) throws {
        group = try StreamGroup(address: address, requests: requests, maxConnecting: maxConnecting)
        marker = Array("cb-\(nonce)-".utf8)
        lastCheck = Array(repeating: -1, count: requests.count)
        group.onEvent = { [unowned self] index, _, data, now in
            guard let found = MessageMarker.find(marker, in: data), found.index > lastCheck[index] else { return }
            lastCheck[index] = found.index
            guard found.index == currentCheck else { return }
            receivedCheck += 1
            lastCheckAt = now
        }
    }

    /// Streams that opened.
    var openedCount: Int { group.openedCount }
    /// Streams open now.
    var liveCount: Int { group.liveCount }
    /// Why the first stream that ended did.
    var firstEnd: StreamEnd? { group.firstEnd }

    /// Opens every stream.
    func open(deadline: UInt64) {
        do { try group.openAll(deadline: deadline, naming: "streams") } catch { failure = error }
    }

    /// Keeps reading (heartbeats, if any) until `time`.
    func hold(until time: UInt64) {
        do { try group.loop.run(deadline: time, pollMilliseconds: 100) { _ in false } } catch { failure = error }
    }

    /// Starts waiting for check message `index` (before it is posted).
    func expectCheck(_ index: Int) {
        currentCheck = index
        receivedCheck = 0
        lastCheckAt = 0
    }

    /// Reads until every live stream has the current check message, or `deadline`.
    func awaitCheck(deadline: UInt64) {
        do { try group.loop.run(deadline: deadline) { _ in receivedCheck >= group.liveCount } } catch { failure = error }
    }

    /// Closes every stream.
    func close() {
        group.closeAll()
    }
}
