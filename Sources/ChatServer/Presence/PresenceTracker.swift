import Dispatch

/// One instance's presence, debounced: takes each lobby's 0↔1 transitions of a user's local
/// streams (`LobbyPresence`) and announces a user online at their first stream, and offline
/// only once their last stream has stayed closed for the grace period. A stream reopened
/// within it (a reconnect, or a second tab) cancels the pending offline: nothing is announced.
///
/// `@unchecked Sendable`: every stored `var` is touched only on `queue` (transitions arrive
/// under the fan-outs' locks and hop there at once; the grace timers run there).
final class PresenceTracker: PresenceObserver, @unchecked Sendable {
    /// Says that `userId` came online (true) or went offline (false) in `room` on this instance.
    typealias Announce = @Sendable (_ room: String, _ userId: String, _ online: Bool) -> Void

    private struct Key: Hashable {
        let room: String
        let userId: String
    }

    private let queue: DispatchQueue
    private let grace: Duration
    private var announce: Announce?
    /// Who this instance announced online (and has not announced offline since).
    private var online: Set<Key> = []
    /// Whose last stream closed, and the token of the grace timer that will announce it.
    private var leaving: [Key: Int] = [:]
    private var nextToken = 0

    init(grace: Duration, queue: DispatchQueue = DispatchQueue(label: "chat.presence")) {
        self.grace = grace
        self.queue = queue
    }

    /// Starts announcing through `announce` (called on the tracker's queue; it must not block).
    func start(_ announce: @escaping Announce) {
        queue.sync { self.announce = announce }
    }

    func streamsChanged(room: String, userId: String, open: Bool) {
        let key = Key(room: room, userId: userId)
        queue.async { [self] in open ? opened(key) : closed(key) }
    }

    /// Announces again everyone this instance counts online (its shared record was lost).
    func reannounce() {
        queue.async { [self] in
            for key in online where leaving[key] == nil { announce?(key.room, key.userId, true) }
        }
    }

    /// Returns once every transition reported so far has been handled (tests).
    func settle() async {
        await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
    }

    private func opened(_ key: Key) {
        // Back within the grace: the pending offline is dropped, and nothing is announced.
        if leaving.removeValue(forKey: key) != nil { return }
        guard online.insert(key).inserted else { return }
        announce?(key.room, key.userId, true)
    }

    private func closed(_ key: Key) {
        guard online.contains(key) else { return }
        nextToken += 1
        let token = nextToken
        leaving[key] = token
        queue.asyncAfter(deadline: .now() + grace.seconds) { [self] in
            guard leaving[key] == token else { return }
            leaving[key] = nil
            online.remove(key)
            announce?(key.room, key.userId, false)
        }
    }
}
