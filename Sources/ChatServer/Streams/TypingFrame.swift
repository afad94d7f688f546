import APIRuntime
import ChatAPI

extension EncodedEvent where Event == Components.Schemas.ChatEvent {
    /// The ephemeral `typing` event of `userId` in `room`, framed without an id so that it
    /// never moves a client's `Last-Event-ID` (both stores); nil should it not encode.
    static func typing(room: String, userId: String, name: String) -> EncodedEvent? {
        try? EncodedEvent(Components.Schemas.ChatEvent.typing(Components.Schemas.Typing(room: room, userId: userId, name: name)), id: nil)
    }
}
