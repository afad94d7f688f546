import APIRuntime
import ChatAPI
import Synchronization

/// One open stream of every lobby a user is in (`GET /chat/users/{userId}/events`). It follows
/// each lobby through one attachment in the lobby's `LobbyFanout`, like any stream of it, so
/// admission, replay, `resync`, ordering and the end at a leave are the per-lobby stream's
/// own; an attachment that ends (the user left) takes the lobby off the stream, which stays
/// open. Each frame an attachment writes gets the stream's cursor as its `id:` as it is written.
///
/// Frames of different lobbies are written from their lobbies' delivery queues at the same
/// time: the lock orders them, so the cursor written with a frame covers every frame written
/// before it. A lobby's frames that the cursor already covers are dropped, so nothing is
/// repeated. A join announced while the lobby's attachment has not yet reached it (a leave and
/// a quick rejoin) waits for that attachment to deliver the leave and end: the stream gets
/// leave, then join, as a lobby's own stream would.
final class UserStream: Sendable {
    let userId: String
    let sink: EventSink<Components.Schemas.ChatEvent>
    /// Adds an attachment's sink to `room`'s streams, resuming after a seq (the store's `subscribe`).
    private let subscribe: @Sendable (_ room: String, _ after: Int, _ sink: EventSink<Components.Schemas.ChatEvent>) -> Void
    private let state: Mutex<State>

    private struct State {
        var cursor: UserCursor
        /// The attachment that follows each lobby now.
        var current: [String: ObjectIdentifier] = [:]
        var attachments: [ObjectIdentifier: Attachment] = [:]
        /// Where each lobby the user left while the stream was open stood then (their leave):
        /// a join announced late, from before it, is not followed again.
        var leftAt: [String: Int] = [:]
        /// Lobbies whose `closed` event was written: deleted, so a lobby made again with the
        /// code starts its seqs anew, and its join is followed whatever the old seqs were.
        var deleted: Set<String> = []
        /// Joins announced while the lobby's attachment was still before them, by lobby: each
        /// is followed once that attachment ends, unless it delivered the join itself.
        var pendingJoins: [String: Int] = [:]
        var isClosed = false
    }

    init(
        userId: String, sink: EventSink<Components.Schemas.ChatEvent>,
        subscribe: @escaping @Sendable (_ room: String, _ after: Int, _ sink: EventSink<Components.Schemas.ChatEvent>) -> Void
    ) {
        self.userId = userId
        self.sink = sink
        self.subscribe = subscribe
        state = Mutex(State(cursor: UserCursor()))
        sink.onClose { [weak self] in self?.closeAll() }
    }

    /// Follows `room` after `seq` (a resume point, or the latest seq for a fresh stream),
    /// unless it is followed already.
    func follow(_ room: String, after seq: Int) {
        attach(room) { state in
            guard state.current[room] == nil else { return false }
            state.cursor[room] = seq
            return true
        }.map { subscribe(room, seq, EventSink($0)) }
    }

    /// The user joined `room` with the event `seq`: follows it from that event, unless the
    /// cursor is past it already (the attachment it has delivered the join) or the user left
    /// after it (a notification that came late). While the lobby's attachment is still before
    /// the join, its user left in between: the join waits until that attachment has delivered
    /// the leave and ended (`ended`), so the leave is not lost.
    func follow(_ room: String, fromJoin seq: Int) {
        attach(room) { state in
            if let at = state.cursor[room], at >= seq { return false }
            if let left = state.leftAt[room], left >= seq { return false }
            if state.current[room] != nil {
                state.pendingJoins[room] = max(state.pendingJoins[room] ?? seq, seq)
                return false
            }
            state.cursor[room] = seq - 1
            return true
        }.map { subscribe(room, seq - 1, EventSink($0)) }
    }

    /// The lobbies followed now.
    var rooms: Set<String> { state.withLock { Set($0.current.keys) } }

    /// The cursor as of the last frame written.
    var cursor: UserCursor { state.withLock { $0.cursor } }

    /// Makes `room`'s new attachment if `decide` says so, retiring the one it replaces.
    private func attach(_ room: String, _ decide: (inout State) -> Bool) -> Attachment? {
        let attachment = Attachment(room: room, owner: self)
        let replaced = state.withLock { state -> Attachment?? in
            guard !state.isClosed, decide(&state) else { return .none }
            let replaced = state.current[room].flatMap { state.attachments[$0] }
            state.current[room] = ObjectIdentifier(attachment)
            state.attachments[ObjectIdentifier(attachment)] = attachment
            return .some(replaced)
        }
        guard let replaced else { return nil }
        replaced?.close()
        return attachment
    }

    // MARK: From the attachments

    /// Writes `bytes` (frames of `attachment`'s lobby, as its delivery joined them) with the
    /// cursor as each frame's id.
    fileprivate func write(_ bytes: [UInt8], from attachment: Attachment) {
        state.withLock { state in
            guard !state.isClosed else { return }
            let isCurrent = state.current[attachment.room] == ObjectIdentifier(attachment)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            for frame in SSEFrames(bytes) {
                guard let seq = frame.seq else {
                    // An ephemeral frame (typing): once, from the lobby's current attachment.
                    if isCurrent { out += bytes[frame.data] }
                    continue
                }
                if !frame.isResync, let at = state.cursor[attachment.room], seq <= at { continue }
                if frame.isClosing { state.deleted.insert(attachment.room) }
                state.cursor[attachment.room] = seq
                // A join announced while this attachment was before it, which it delivered.
                if let pending = state.pendingJoins[attachment.room], seq >= pending { state.pendingJoins[attachment.room] = nil }
                out += Self.idPrefix
                state.cursor.write(to: &out)
                out.append(UInt8(ascii: "\n"))
                out += bytes[frame.data]
            }
            // Under the lock so that frames go out in cursor order; `send` only queues the
            // bytes on the connection (it never blocks or calls back into this stream).
            if !out.isEmpty { sink.send(EncodedEvent(bytes: out)) }
        }
    }

    private static let idPrefix = Array("id: ".utf8)

    /// `attachment` ended: the user left its lobby (or was not a member when it was admitted).
    /// A join announced meanwhile is followed now.
    fileprivate func ended(_ attachment: Attachment) {
        let room = attachment.room
        let pendingJoin = state.withLock { state -> Int? in
            state.attachments[ObjectIdentifier(attachment)] = nil
            guard state.current[room] == ObjectIdentifier(attachment) else { return nil }
            state.current[room] = nil
            state.leftAt[room] = state.deleted.remove(room) == nil ? state.cursor[room] : nil
            state.cursor[room] = nil
            return state.pendingJoins.removeValue(forKey: room)
        }
        if let pendingJoin { follow(room, fromJoin: pendingJoin) }
    }

    private func closeAll() {
        let attachments = state.withLock { state in
            state.isClosed = true
            defer { state.attachments = [:]; state.current = [:]; state.pendingJoins = [:] }
            return Array(state.attachments.values)
        }
        for attachment in attachments { attachment.close() }
    }
}

/// A user stream's part in one lobby: to the lobby's fan-out, a stream like any other.
/// `finish()` (the fan-out ending it after a leave) detaches it from the user stream, which
/// stays open; closing the user stream closes it.
private final class Attachment: ResponseStream {
    let room: String
    private weak let owner: UserStream?
    private let state = Mutex((isClosed: false, handlers: [@Sendable () -> Void]()))

    init(room: String, owner: UserStream) {
        self.room = room
        self.owner = owner
    }

    func write(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        owner?.write(bytes, from: self)
    }

    func finish() {
        owner?.ended(self)
        close()
    }

    /// Closes it without a word to the user stream (it was replaced, or the stream closed).
    func close() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.isClosed else { return [] }
            state.isClosed = true
            defer { state.handlers = [] }
            return state.handlers
        }
        for handler in handlers { handler() }
    }

    func onClose(_ handler: @escaping @Sendable () -> Void) {
        let isClosed = state.withLock { state in
            if !state.isClosed { state.handlers.append(handler) }
            return state.isClosed
        }
        if isClosed { handler() }
    }

    var isClosed: Bool { state.withLock { $0.isClosed } }
}
