import ChatAPI

/// Who is online in each lobby, as the memory store announces it (the PostgreSQL store keeps
/// this in its `presence` table instead): the users, by id, with their names.
struct PresenceRoster {
    private var lobbies: [String: [String: String]] = [:]

    /// Marks `userId` (named `name`) online or offline in `room`; the change as an event lists
    /// it and how many are online after it, or nil when it changes nothing.
    mutating func set(_ room: String, userId: String, name: String, online: Bool) -> (Components.Schemas.PresenceChange, Int)? {
        var users = lobbies[room] ?? [:]
        var name = name
        if online {
            guard users.updateValue(name, forKey: userId) == nil else { return nil }
        } else {
            // The name they came online with (an expired user's is gone from the store).
            guard let known = users.removeValue(forKey: userId) else { return nil }
            name = known
        }
        lobbies[room] = users.isEmpty ? nil : users
        return (Components.Schemas.PresenceChange(userId: userId, name: name, online: online), users.count)
    }

    /// How many are online in `room`, and up to `limit` of them by id after `after`.
    func page(_ room: String, limit: Int, after: String?) -> (online: Int, users: Page<Components.Schemas.User>) {
        let users = lobbies[room] ?? [:]
        let ids = users.keys.filter { id in after.map { id > $0 } ?? true }.sorted()
        let shown = ids.prefix(limit)
        let items = shown.map { Components.Schemas.User(id: $0, name: users[$0] ?? "") }
        return (users.count, Page(items: items, next: ids.count > limit ? shown.last : nil))
    }
}
