import APIRuntime
import ChatAPI

/// An answer as the handler returns it: already encoded (by a store that holds its JSON anyway,
/// or that encodes once for every request one query answered), or to be encoded by the router.
enum StoreAnswer<Value: Encodable & Sendable>: Sendable {
    case encoded(EncodedJSON<Value>)
    case value(Value)
}

/// A posted message as the handler answers it.
typealias PostAnswer = StoreAnswer<Components.Schemas.Message>

/// A page of a list as the handler answers it: its items (encoded or not), and the cursor of
/// the next page when more follow (as `Page`'s).
struct PageAnswer<Item: Encodable & Sendable>: Sendable {
    var items: StoreAnswer<[Item]>
    var next: String?
}
