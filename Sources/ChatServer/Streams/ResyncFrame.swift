import APIRuntime
import ChatAPI

extension EncodedEvent where Event == Components.Schemas.ChatEvent {
    /// What a stream gets when its events cannot be replayed: one `resync` naming `lastSeq`,
    /// framed with that id (both stores).
    static func resync(room: String, lastSeq: Int) -> [EncodedEvent] {
        (try? EncodedEvent(Components.Schemas.ChatEvent.resync(Components.Schemas.Resync(room: room, lastEventId: lastSeq)), id: String(lastSeq))).map { [$0] } ?? []
    }
}
