import ChatAPI
import Synchronization
@testable import ChatServer

/// A lobby's events table in memory, for the follower's tests: it can fail (the database is
/// down), hold reads until released (a read in flight), and counts the reads made.
final class FakeLobbySource: LobbySource {
    private struct State {
        var events: [StoredEvent] = []
        var members: Set<String> = []
        var exists = true
        var failing = false
        var holding = false
        var held: [CheckedContinuation<Void, Never>] = []
        var reads: [String] = []
    }

    let room: String
    private let state = Mutex(State())

    init(room: String = "r", members: Set<String> = []) {
        self.room = room
        state.withLock { $0.members = members }
    }

    /// Appends the next event of `kind` by `userId`, as a commit would; returns it.
    @discardableResult
    func commit(_ kind: StoredEvent.Kind, by userId: String) -> StoredEvent {
        state.withLock { state in
            let event = StoredEvent(
                room: room, seq: state.events.count + 1, kind: kind, userId: userId, userName: userId,
                messageId: kind == .message ? "m\(state.events.count + 1)" : nil, content: kind == .message ? "hi" : nil,
                sentAt: kind == .message ? "t" : nil)
            state.events.append(event)
            switch kind {
            case .join: state.members.insert(userId)
            case .leave: state.members.remove(userId)
            default: break  // only joins and leaves change who is a member
            }
            return event
        }
    }

    var lastSeq: Int { state.withLock { $0.events.count } }
    /// The reads made so far: "snapshot" or "after N".
    var reads: [String] { state.withLock { $0.reads } }

    func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }
    func setExists(_ exists: Bool) { state.withLock { $0.exists = exists } }
    /// Reads from now on wait until `release()`.
    func hold() { state.withLock { $0.holding = true } }

    /// Lets the held reads go on.
    func release() {
        let held = state.withLock { state in
            state.holding = false
            defer { state.held = [] }
            return state.held
        }
        for read in held { read.resume() }
    }

    /// How many reads wait for `release()`.
    var heldCount: Int { state.withLock { $0.held.count } }

    private func enter(_ read: String) async throws(ChatError) {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let holds = state.withLock { state in
                state.reads.append(read)
                if state.holding { state.held.append(continuation) }
                return state.holding
            }
            if !holds { continuation.resume() }
        }
        if state.withLock({ $0.failing }) { throw .storeUnavailable }
    }

    func snapshot(_ room: String) async throws(ChatError) -> (lastSeq: Int, members: Set<String>, lobbyId: Int)? {
        try await enter("snapshot")
        return state.withLock { $0.exists ? ($0.events.count, $0.members, 1) : nil }
    }

    /// Deletions are not faked: a gone lobby has no closing event.
    func closing(_ room: String) async throws(ChatError) -> StoredEvent? { nil }

    func events(_ room: String, of lobbyId: Int, after seq: Int, limit: Int) async throws(ChatError) -> [StoredEvent] {
        try await enter("after \(seq)")
        return state.withLock { Array($0.events.filter { $0.seq > seq }.prefix(limit)) }
    }
}

/// A clock that moves only when told, running what was scheduled up to the new instant.
final class FakeFollowerClock: FollowerClock {
    private let state = Mutex<(now: ContinuousClock.Instant, scheduled: [(at: ContinuousClock.Instant, work: @Sendable () -> Void)])>(
        (ContinuousClock.now, []))

    var now: ContinuousClock.Instant { state.withLock { $0.now } }

    /// The delays scheduled and not yet run, from now.
    var pending: [Duration] { state.withLock { state in state.scheduled.map { $0.at - state.now } } }

    func schedule(at instant: ContinuousClock.Instant, _ work: @escaping @Sendable () -> Void) {
        state.withLock { $0.scheduled.append((instant, work)) }
    }

    /// Moves time on by `duration` and runs what came due, in order.
    func advance(by duration: Duration) {
        let due = state.withLock { state -> [@Sendable () -> Void] in
            state.now = state.now + duration
            let now = state.now
            let due = state.scheduled.filter { $0.at <= now }.sorted { $0.at < $1.at }.map(\.work)
            state.scheduled.removeAll { $0.at <= now }
            return due
        }
        for work in due { work() }
    }
}
