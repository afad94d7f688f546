import APIRuntime
import ChatAPI

/// A committed event as the live fan-out takes it from a store: its seq, its frame (encoded
/// once, for every stream and every replay) and what it does to the lobby's streams.
struct LiveEvent: Sendable {
    /// What an event does beyond being delivered.
    enum Effect: Sendable, Equatable {
        case none
        /// The user is a member from this event on.
        case joins(userId: String)
        /// The user is no longer a member: their streams get this event, then end.
        case leaves(userId: String)
        /// The lobby is deleted: every stream gets this event, then ends; nothing follows it.
        case closes
    }

    let seq: Int
    let frame: EncodedEvent<Components.Schemas.ChatEvent>
    let effect: Effect

    init(seq: Int, frame: EncodedEvent<Components.Schemas.ChatEvent>, effect: Effect = .none) {
        self.seq = seq
        self.frame = frame
        self.effect = effect
    }

    /// `event` as the frame of `seq` in `room`. Should it not encode (or a stored row not
    /// make an event: nil), streams get a `resync` at `seq` in its place, so they refetch
    /// rather than miss it silently; its effect still applies.
    init(_ event: Components.Schemas.ChatEvent?, seq: Int, room: String) {
        let effect = event.map(Effect.init) ?? .none
        if let event, let frame = try? EncodedEvent(event, id: String(seq)) {
            self.init(seq: seq, frame: frame, effect: effect)
        } else {
            self.init(seq: seq, frame: .joined(EncodedEvent.resync(room: room, lastSeq: seq)), effect: effect)
        }
    }

    /// The user this event ends the streams of, if any.
    var leavingUser: String? {
        if case .leaves(let userId) = effect { userId } else { nil }
    }

    /// Whether this event ends `userId`'s streams: their leave, or the lobby's closing.
    func ends(_ userId: String) -> Bool {
        effect == .closes || leavingUser == userId
    }
}

extension LiveEvent.Effect {
    /// The one place that knows what each kind of event does to streams. A new kind that
    /// only informs (an edit, typing, presence) needs nothing here: it falls under `default`.
    init(_ event: Components.Schemas.ChatEvent) {
        switch event {
        case .join(let change): self = .joins(userId: change.id)
        case .leave(let change): self = .leaves(userId: change.id)
        case .closed: self = .closes
        default: self = .none
        }
    }
}
