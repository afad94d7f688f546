import APIRuntime
import ChatAPI
import Dispatch
import Foundation
import Synchronization

/// Everything the chat remembers, in memory: users and lobbies in creation order, members,
/// messages and each lobby's events. One lock guards it; nothing is written to a socket while
/// it is held (frames are queued to each lobby's delivery queue instead).
final class MemoryChatStore: ChatStore {
    struct State {
        var users: [String: Components.Schemas.User] = [:]
        /// Users in creation order, each with its creation number (the page cursor).
        var userOrder: [(number: Int, id: String)] = []
        var usersCreated = 0
        var tokenDigests: [String: [UInt8]] = [:]
        /// The sum of every lobby's `retainedBytes`, held under `ChatLimits.retainedBytesBudget`.
        var retainedBytes = 0
        var lobbies: [String: StoredLobby] = [:]
        /// Lobbies in creation order, each with its creation number (the page cursor).
        var lobbyOrder: [(number: Int, room: String)] = []
        var lobbiesCreated = 0
        /// When each user that never joined a lobby was created: they expire.
        var unusedUsers: [String: Date] = [:]
        /// When a creation at a cap last reclaimed, so a flood at the cap scans once a second.
        var reclaimedAt = Date.distantPast
        /// Each user's lobbies and read positions (MemoryChatStore+Reading.swift).
        var readings = MemberReadings()
    }

    let limits: ChatLimits
    let state = Mutex(State())
    /// Lobbies by their open streams, for `/metrics`, kept by each lobby as its streams change.
    let lobbySizes = LobbySizeTally()
    let userStreams = UserStreams()
    let now: @Sendable () -> Date
    private let deliveryTarget = DispatchQueue(label: "chat.delivery", attributes: .concurrent)
    /// Presence (MemoryChatStore+Presence.swift): debounced, then coalesced per lobby.
    let presenceTracker: PresenceTracker
    let presenceBatcher: PresenceBatcher
    let presenceRoster = Mutex(PresenceRoster())

    init(limits: ChatLimits = ChatLimits(), now: @escaping @Sendable () -> Date = Date.init) {
        self.limits = limits
        self.now = now
        presenceTracker = PresenceTracker(grace: limits.presence.grace)
        presenceBatcher = PresenceBatcher(settings: limits.presence)
        startPresence()
    }

    // MARK: Users

    func createUser(id: String, name rawName: String, tokenDigest: [UInt8]) throws(ChatError) -> Components.Schemas.User {
        let name = try Self.checkedName(rawName)
        let user = Components.Schemas.User(id: id, name: name)
        let now = now()
        try state.withLock { state throws(ChatError) in
            if state.users.count >= limits.maxUsers { reclaimAtCap(&state, now: now) }
            guard state.users.count < limits.maxUsers else { throw .atCapacity(what: "users", limit: limits.maxUsers) }
            state.users[user.id] = user
            state.usersCreated += 1
            state.userOrder.append((state.usersCreated, user.id))
            state.tokenDigests[user.id] = tokenDigest
            state.unusedUsers[user.id] = now
        }
        return user
    }

    func tokenDigest(of userId: String) -> [UInt8]? {
        state.withLock { $0.tokenDigests[userId] }
    }

    func users(limit: Int, after: String?) -> Page<Components.Schemas.User> {
        state.withLock { state in
            Page.slice(state.userOrder, limit: limit, after: after, key: { $0.number }) { state.users[$0.id] }
        }
    }

    // MARK: Lobbies

    func createLobby(room requested: String?) throws(ChatError) -> Components.Schemas.Lobby {
        let now = now()
        let createdAt = Timestamp.rfc3339(now)
        return try state.withLock { state throws(ChatError) in
            if state.lobbies.count >= limits.maxLobbies { reclaimAtCap(&state, now: now) }
            guard state.lobbies.count < limits.maxLobbies else { throw .atCapacity(what: "lobbies", limit: limits.maxLobbies) }
            let room: String
            if let requested {
                guard state.lobbies[requested] == nil else { throw .roomTaken(requested) }
                room = requested
            } else {
                room = RoomCode.generate { state.lobbies[$0] != nil }
            }
            let lobby = StoredLobby(
                room: room, createdAt: createdAt, activeAt: now, limits: limits, deliveryTarget: deliveryTarget, sizes: lobbySizes,
                presence: presenceTracker)
            state.lobbies[room] = lobby
            state.lobbiesCreated += 1
            state.lobbyOrder.append((state.lobbiesCreated, room))
            return lobby.snapshot(showing: limits.lobbyMembersShown)
        }
    }

    func lobbies(limit: Int, after: String?) -> Page<Components.Schemas.Lobby> {
        state.withLock { state in
            Page.slice(state.lobbyOrder, limit: limit, after: after, key: { $0.number }) {
                state.lobbies[$0.room]?.snapshot(showing: limits.lobbyMembersShown)
            }
        }
    }

    func members(_ room: String, limit: Int, after: String?) throws(ChatError) -> Page<Components.Schemas.User> {
        // Members are in join order, so their join numbers ascend.
        let page = state.withLock { state in
            state.lobbies[room].map { lobby in
                Page.slice(lobby.members, limit: limit, after: after, key: { state.readings.membership($0.id, room)?.joinOrder ?? 0 }) { $0 }
            }
        }
        guard let page else { throw .lobbyNotFound(room) }
        return page
    }

    func lobby(_ room: String) throws(ChatError) -> Components.Schemas.Lobby {
        guard let lobby = state.withLock({ $0.lobbies[room]?.snapshot(showing: limits.lobbyMembersShown) }) else { throw .lobbyNotFound(room) }
        return lobby
    }

    /// Adds the user to the lobby and emits `join`; a member joining again changes nothing. A
    /// user in `maxLobbiesPerUser` lobbies is refused, counted under the same lock as the join.
    func join(_ room: String, userId: String) throws(ChatError) -> Components.Schemas.Lobby {
        let (snapshot, joinSeq) = try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            var joinSeq: Int?
            if !lobby.isMember(userId) {
                guard state.readings.lobbyCount(of: userId) < limits.maxLobbiesPerUser else {
                    throw .tooManyLobbies(userId: userId, limit: limits.maxLobbiesPerUser)
                }
                lobby.members.append(user)
                state.unusedUsers[userId] = nil
                retaining(lobby, in: &state) { lobby.publish { _ in .join(Components.Schemas.MemberChange(id: user.id, name: user.name, room: room)) } }
                state.readings.joined(userId, room, seq: lobby.lastSeq)
                joinSeq = lobby.lastSeq
            }
            return (lobby.snapshot(showing: limits.lobbyMembersShown), joinSeq)
        }
        // Outside the lock: the user's streams subscribe to the lobby, which takes it.
        if let joinSeq { userStreams.joined(room, userId: userId, seq: joinSeq) }
        return snapshot
    }

    /// Removes the user and emits `leave`; their streams on the lobby get it, then end.
    /// Leaving as a non-member changes nothing.
    func leave(_ room: String, userId: String) throws(ChatError) -> Components.Schemas.Lobby {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            if lobby.isMember(userId) {
                lobby.members.removeAll { $0.id == userId }
                // The live streams end the leaving user's streams after they get it.
                retaining(lobby, in: &state) { lobby.publish { _ in .leave(Components.Schemas.MemberChange(id: user.id, name: user.name, room: room)) } }
                state.readings.left(userId, room)
            }
            return lobby.snapshot(showing: limits.lobbyMembersShown)
        }
    }

    // MARK: Messages

    func post(_ room: String, userId: String, content: String) throws(ChatError) -> Components.Schemas.Message {
        try publishMessage(room, userId: userId, content: content).message
    }

    /// The 201's body spliced from the event's frame: the message is not encoded again.
    func postAnswer(_ room: String, userId: String, content: String) throws(ChatError) -> PostAnswer {
        let (message, json) = try publishMessage(room, userId: userId, content: content)
        return json.map(PostAnswer.encoded) ?? .value(message)
    }

    private func publishMessage(
        _ room: String, userId: String, content: String
    ) throws(ChatError) -> (message: Components.Schemas.Message, json: EncodedJSON<Components.Schemas.Message>?) {
        try checkContent(of: content)
        // Everything that needs neither the seq nor the sender's name is made before the lock,
        // its frame too, so that the two epoll threads hold it only to number, splice and keep.
        let template = Components.Schemas.Message(
            id: MessageID.make(), seq: 0, room: room, userId: userId, name: "", content: content, sentAt: Timestamp.rfc3339(now()))
        let frame = MessageFrame(template)
        let (message, json, delivery) = try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            guard lobby.isMember(userId) else { throw .notAMember(userId: userId, room: room) }
            guard lobby.fanout.delivery.backlog < limits.maxDeliveryBacklog else { throw .lobbyBusy(room) }
            var message = template
            message.name = user.name
            var json: EncodedJSON<Components.Schemas.Message>?
            retaining(lobby, in: &state) {
                (message, json) = lobby.publish(message, frame: frame)
                lobby.retain(message)
            }
            state.readings.posted(userId, room, seq: message.seq, oldestRetained: lobby.messages.first?.seq ?? message.seq)
            return (message, json, lobby.fanout.delivery)
        }
        // Past a quarter of the bound, this post helps its streams catch up before it is answered
        // (a bound under 4 only refuses).
        let catchUpAt = limits.maxDeliveryBacklog / 4
        if catchUpAt > 0 { delivery.keepUp(past: catchUpAt) }
        return (message, json)
    }

    func messages(_ room: String, limit: Int, after: Int?) throws(ChatError) -> [Components.Schemas.Message] {
        guard let messages = state.withLock({ $0.lobbies[room]?.messages(limit: limit, after: after) }) else {
            throw .lobbyNotFound(room)
        }
        return messages
    }

    // MARK: The memory budget

    /// Runs `change` on `lobby`, counts what it retains against the budget, and when the
    /// store is over it, trims the oldest messages of the lobbies that hold the most until it
    /// is a sixteenth under (so trims, each a scan of the lobbies, stay rare).
    func retaining(_ lobby: StoredLobby, in state: inout State, _ change: () -> Void) {
        let before = lobby.retainedBytes
        change()
        lobby.activeAt = now()
        state.retainedBytes += lobby.retainedBytes - before
        let budget = limits.retainedBytesBudget
        guard state.retainedBytes > budget else { return }
        let target = budget - budget / 16
        for _ in 0..<64 where state.retainedBytes > target {
            // The lobby with the most message bytes: only messages (and the events up to them) can go.
            guard let busiest = state.lobbies.values.max(by: { $0.messageBytes < $1.messageBytes }), busiest.messageBytes > 0 else { return }
            let freed = busiest.trimOldest(freeing: state.retainedBytes - target)
            guard freed > 0 else { return }
            state.retainedBytes -= freed
        }
    }

    // MARK: Reclaiming

    func reclaim() -> Reclaimed {
        let now = now()
        return state.withLock { reclaim(&$0, now: now) }
    }

    /// `reclaim` for a creation that met its cap, at most once a second.
    private func reclaimAtCap(_ state: inout State, now: Date) {
        guard now.timeIntervalSince(state.reclaimedAt) >= 1 else { return }
        state.reclaimedAt = now
        _ = reclaim(&state, now: now)
    }

    private func reclaim(_ state: inout State, now: Date) -> Reclaimed {
        var reclaimed = Reclaimed()
        let lobbyLifetime = limits.emptyLobbyLifetime.seconds
        if lobbyLifetime > 0 {
            for (room, lobby) in state.lobbies
            where lobby.members.isEmpty && lobby.fanout.subscriberCount == 0 && now.timeIntervalSince(lobby.activeAt) >= lobbyLifetime {
                reclaimed.rooms.append(room)
                state.retainedBytes -= lobby.retainedBytes
            }
            let gone = Set(reclaimed.rooms)
            for room in gone { state.lobbies[room] = nil }
            if !gone.isEmpty { state.lobbyOrder.removeAll { gone.contains($0.room) } }
        }
        let userLifetime = limits.unusedUserLifetime.seconds
        if userLifetime > 0 {
            let expired = Set(state.unusedUsers.filter { now.timeIntervalSince($0.value) >= userLifetime }.keys)
            for id in expired {
                state.users[id] = nil
                state.tokenDigests[id] = nil
                state.unusedUsers[id] = nil
            }
            if !expired.isEmpty { state.userOrder.removeAll { expired.contains($0.id) } }
            reclaimed.users = expired.count
        }
        return reclaimed
    }

    /// Nothing to close: the memory goes with the process.
    func close() {}
}
