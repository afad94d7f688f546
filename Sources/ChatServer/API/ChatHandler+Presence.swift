import APIRuntime
import ChatAPI

extension ChatHandler {
    /// `GET /chat/{room}/presence`: how many are online in the lobby, and a page of them by id.
    func listPresence(_ input: Operations.ListPresence.Input) async throws -> Operations.ListPresence.Output {
        let room = input.path.room
        let (online, page) = try await store.presence(room, limit: input.query.limit, after: input.query.after)
        return .ok(
            Components.Schemas.PresenceList(room: room, online: online, users: page.items),
            headers: .init(link: Self.nextLink("/chat/\(room)/presence", page, limit: input.query.limit)))
    }
}
