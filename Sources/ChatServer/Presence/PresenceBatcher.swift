import APIRuntime
import ChatAPI
import Dispatch

/// Coalesces a lobby's presence changes (over every instance) into at most one `presence`
/// event per interval: the first change of a quiet lobby goes out at once, later ones wait
/// for the interval's end and go out together, each user once with their latest state. So a
/// lobby of N streams costs at most N deliveries per interval, however many users change.
///
/// `@unchecked Sendable`: every stored `var` is touched only on `queue`.
final class PresenceBatcher: @unchecked Sendable {
    /// Hands a lobby's `presence` frame to its local streams that asked for presence.
    typealias Deliver = @Sendable (_ room: String, _ frame: EncodedEvent<Components.Schemas.ChatEvent>) -> Void

    private struct Pending {
        var changes: [String: Components.Schemas.PresenceChange] = [:]
        var order: [String] = []
        var online = 0
        var lastSent: DispatchTime?
        var scheduled = false
    }

    private let queue: DispatchQueue
    private let settings: PresenceSettings
    private var deliver: Deliver?
    private var lobbies: [String: Pending] = [:]

    init(settings: PresenceSettings, queue: DispatchQueue = DispatchQueue(label: "chat.presence.batch")) {
        self.settings = settings
        self.queue = queue
    }

    /// Starts delivering through `deliver` (called on the batcher's queue).
    func start(_ deliver: @escaping Deliver) {
        queue.sync { self.deliver = deliver }
    }

    /// `change` happened in `room`, which has `online` users online after it.
    func changed(_ room: String, _ change: Components.Schemas.PresenceChange, online: Int) {
        queue.async { [self] in
            var pending = lobbies[room] ?? Pending()
            if pending.changes.updateValue(change, forKey: change.userId) == nil { pending.order.append(change.userId) }
            pending.online = online
            let now = DispatchTime.now()
            let due = pending.lastSent.map { $0 + settings.interval.seconds } ?? now
            let schedule = !pending.scheduled
            pending.scheduled = true
            lobbies[room] = pending
            guard schedule else { return }
            if due <= now { flush(room) } else { queue.asyncAfter(deadline: due) { [self] in flush(room) } }
        }
    }

    /// Returns once every change so far was handed on or scheduled (tests).
    func settle() async {
        await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
    }

    private func flush(_ room: String) {
        guard let pending = lobbies[room] else { return }
        // Kept (empty) while an interval runs, so a change within it waits for its end.
        lobbies[room] = Pending(online: pending.online, lastSent: .now())
        queue.asyncAfter(deadline: .now() + settings.interval.seconds) { [self] in
            if let idle = lobbies[room], !idle.scheduled { lobbies[room] = nil }
        }
        let changes = pending.order.compactMap { pending.changes[$0] }
        let truncated = changes.count > settings.maxChanges
        let update = Components.Schemas.PresenceUpdate(
            room: room, online: pending.online, changes: truncated ? [] : changes, truncated: truncated ? true : nil)
        guard let frame = try? EncodedEvent(Components.Schemas.ChatEvent.presence(update), id: nil) else { return }
        deliver?(room, frame)
    }
}
