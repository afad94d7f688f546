import APIRuntime
import ChatAPI

/// One row of the events table: what happened in a lobby, at which seq.
struct StoredEvent: Sendable, Equatable {
    /// `closed` is not a row of `events` but of `closed_lobbies` (the lobby's tombstone).
    enum Kind: String, Sendable { case join, leave, message, edit, delete, closed }

    var room: String
    var seq: Int
    var kind: Kind
    var userId: String
    var userName: String
    /// A message's id; for an edit or a deletion, the id of the message it changed.
    var messageId: String?
    /// A message's content as it is now (empty once deleted); an edit's new content.
    var content: String?
    /// When a message was posted; when an edit was made.
    var sentAt: String?
    /// When a message was last edited.
    var editedAt: String?
    /// Whether a message was deleted (its row is then a tombstone).
    var deleted = false
    /// For an edit or a deletion, the seq of the message it changed.
    var targetSeq: Int?

    /// The columns `init(row:)` reads, in order.
    static let columns = "room, seq, kind, user_id, user_name, message_id, content, sent_at, edited_at, deleted, target_seq"

    init?(row: [String?]) {
        guard row.count == 11, let room = row[0], let seq = row[1].flatMap({ Int($0) }),
            let kind = row[2].flatMap(Kind.init(rawValue:)), let userId = row[3], let userName = row[4]
        else { return nil }
        self.init(room: room, seq: seq, kind: kind, userId: userId, userName: userName,
                  messageId: row[5], content: row[6], sentAt: row[7])
        editedAt = row[8]
        deleted = row[9] == "t"
        targetSeq = row[10].flatMap { Int($0) }
    }

    init(room: String, seq: Int, kind: Kind, userId: String, userName: String,
         messageId: String? = nil, content: String? = nil, sentAt: String? = nil) {
        self.room = room
        self.seq = seq
        self.kind = kind
        self.userId = userId
        self.userName = userName
        self.messageId = messageId
        self.content = content
        self.sentAt = sentAt
    }

    /// The message this row holds, if it is one: as it is now (edited, or a tombstone).
    var message: Components.Schemas.Message? {
        guard kind == .message, let messageId, let content, let sentAt else { return nil }
        return Components.Schemas.Message(
            id: messageId, seq: seq, room: room, userId: userId, name: userName, content: content, sentAt: sentAt,
            editedAt: editedAt, deleted: deleted ? true : nil)
    }

    /// The event streams get for this row.
    var event: Components.Schemas.ChatEvent? {
        switch kind {
        case .join: .join(Components.Schemas.MemberChange(id: userId, name: userName, room: room))
        case .leave: .leave(Components.Schemas.MemberChange(id: userId, name: userName, room: room))
        case .message: message.map(Components.Schemas.ChatEvent.message)
        case .edit:
            messageId.flatMap { id in
                targetSeq.flatMap { target in
                    sentAt.map { .edit(Components.Schemas.MessageEdit(id: id, seq: target, room: room, content: content ?? "", editedAt: $0)) }
                }
            }
        case .delete:
            messageId.flatMap { id in targetSeq.map { .delete(Components.Schemas.MessageDeletion(id: id, seq: $0, room: room)) } }
        case .closed: .closed(Components.Schemas.LobbyClosed(room: room, userId: userId, name: userName))
        }
    }
}
