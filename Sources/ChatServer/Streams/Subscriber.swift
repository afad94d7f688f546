import APIRuntime
import ChatAPI

/// One open event stream of a lobby: whose it is, and where its events go.
final class Subscriber: Sendable {
    let userId: String
    let sink: EventSink<Components.Schemas.ChatEvent>

    init(userId: String, sink: EventSink<Components.Schemas.ChatEvent>) {
        self.userId = userId
        self.sink = sink
    }
}
