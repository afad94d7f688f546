import APIRuntime
import ChatAPI

extension EncodedEvent where Event == ChatEvent {
    /// What a stream gets when its events cannot be replayed: one `resync` naming `lastSeq`,
    /// framed with that id (both stores).
    static func resync(room: String, lastSeq: Int) -> [EncodedEvent] {
        (try? EncodedEvent(ChatEvent.resync(Resync(room: room, lastEventId: lastSeq)), id: String(lastSeq))).map { [$0] } ?? []
    }
}
