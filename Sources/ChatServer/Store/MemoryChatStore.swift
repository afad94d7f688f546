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
        var users: [String: User] = [:]
        var userOrder: [String] = []
        var tokenDigests: [String: [UInt8]] = [:]
        var lobbies: [String: Lobby] = [:]
        var lobbyOrder: [String] = []
    }

    let limits: ChatLimits
    let state = Mutex(State())
    private let now: @Sendable () -> Date
    private let deliveryTarget = DispatchQueue(label: "chat.delivery", attributes: .concurrent)

    init(limits: ChatLimits = ChatLimits(), now: @escaping @Sendable () -> Date = Date.init) {
        self.limits = limits
        self.now = now
    }

    // MARK: Users

    func createUser(id: String, name rawName: String, tokenDigest: [UInt8]) throws(ChatError) -> User {
        let name = try Self.checkedName(rawName)
        let user = User(id: id, name: name)
        state.withLock { state in
            state.users[user.id] = user
            state.userOrder.append(user.id)
            state.tokenDigests[user.id] = tokenDigest
        }
        return user
    }

    func tokenDigest(of userId: String) -> [UInt8]? {
        state.withLock { $0.tokenDigests[userId] }
    }

    func users() -> [User] {
        state.withLock { state in state.userOrder.compactMap { state.users[$0] } }
    }

    // MARK: Lobbies

    func createLobby(room requested: String?) throws(ChatError) -> ChatAPI.Lobby {
        let createdAt = Timestamp.rfc3339(now())
        return try state.withLock { state throws(ChatError) in
            let room: String
            if let requested {
                guard state.lobbies[requested] == nil else { throw .roomTaken(requested) }
                room = requested
            } else {
                room = RoomCode.generate { state.lobbies[$0] != nil }
            }
            let lobby = Lobby(room: room, createdAt: createdAt, limits: limits, deliveryTarget: deliveryTarget)
            state.lobbies[room] = lobby
            state.lobbyOrder.append(room)
            return lobby.snapshot
        }
    }

    func lobbies() -> [ChatAPI.Lobby] {
        state.withLock { state in state.lobbyOrder.compactMap { state.lobbies[$0]?.snapshot } }
    }

    func lobby(_ room: String) throws(ChatError) -> ChatAPI.Lobby {
        guard let lobby = state.withLock({ $0.lobbies[room]?.snapshot }) else { throw .lobbyNotFound(room) }
        return lobby
    }

    /// Adds the user to the lobby and emits `join`; a member joining again changes nothing.
    func join(_ room: String, userId: String) throws(ChatError) -> ChatAPI.Lobby {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            if !lobby.isMember(userId) {
                lobby.members.append(user)
                lobby.publish { _ in .join(MemberChange(id: user.id, name: user.name, room: room)) }
            }
            return lobby.snapshot
        }
    }

    /// Removes the user and emits `leave`; their streams on the lobby get it, then end.
    /// Leaving as a non-member changes nothing.
    func leave(_ room: String, userId: String) throws(ChatError) -> ChatAPI.Lobby {
        try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            if lobby.isMember(userId) {
                lobby.members.removeAll { $0.id == userId }
                let leaving = lobby.subscribers.filter { $0.value.userId == userId }
                lobby.publish({ _ in .leave(MemberChange(id: user.id, name: user.name, room: room)) }) {
                    for subscriber in leaving.values { subscriber.sink.finish() }
                }
                for key in leaving.keys { lobby.subscribers[key] = nil }
            }
            return lobby.snapshot
        }
    }

    // MARK: Messages

    func post(_ room: String, userId: String, content: String) throws(ChatError) -> Message {
        try checkContent(of: content)
        let sentAt = Timestamp.rfc3339(now())
        return try state.withLock { state throws(ChatError) in
            guard let lobby = state.lobbies[room] else { throw .lobbyNotFound(room) }
            guard let user = state.users[userId] else { throw .userNotFound(userId) }
            guard lobby.isMember(userId) else { throw .notAMember(userId: userId, room: room) }
            var message: Message?
            lobby.publish { seq in
                let posted = Message(
                    id: UUID().uuidString.lowercased(), seq: seq, room: room, userId: userId, name: user.name,
                    content: content, sentAt: sentAt)
                message = posted
                return .message(posted)
            }
            guard let message else { preconditionFailure("publish always makes the event") }
            lobby.messages.append(message)
            return message
        }
    }

    func messages(_ room: String, limit: Int, after: Int?) throws(ChatError) -> [Message] {
        guard let messages = state.withLock({ $0.lobbies[room]?.messages(limit: limit, after: after) }) else {
            throw .lobbyNotFound(room)
        }
        return messages
    }

    /// Nothing to close: the memory goes with the process.
    func close() {}
}
