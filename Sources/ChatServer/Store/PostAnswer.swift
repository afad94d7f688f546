import APIRuntime
import ChatAPI

/// A posted message as the handler answers it: already encoded, or to be encoded.
enum PostAnswer: Sendable {
    case encoded(EncodedJSON<Components.Schemas.Message>)
    case value(Components.Schemas.Message)
}
