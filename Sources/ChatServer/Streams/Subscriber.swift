import APIRuntime
import ChatAPI

/// One open event stream of a lobby: whose it is, and where its events go.
final class Subscriber: Sendable {
    let userId: String
    let sink: EventSink<Components.Schemas.ChatEvent>
    /// Whether it gets the lobby's `presence` events (`presence=true`).
    let wantsPresence: Bool

    init(userId: String, sink: EventSink<Components.Schemas.ChatEvent>, wantsPresence: Bool = false) {
        self.userId = userId
        self.sink = sink
        self.wantsPresence = wantsPresence
    }
}
