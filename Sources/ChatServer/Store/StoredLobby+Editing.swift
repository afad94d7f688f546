import ChatAPI

extension StoredLobby {
    /// Where the retained message `id` is in `messages`: its seq from the index, then a binary
    /// search by seq. Nil when the lobby never had it or no longer keeps it.
    func position(ofMessage id: String) -> Int? {
        guard let seq = index.seq(of: id) else { return nil }
        let position = messages.count - messages.countAfter(seq - 1) { $0.seq }
        return position < messages.count && messages[position].seq == seq ? position : nil
    }

    /// Puts `message` in place of the one at `position` (the same message, edited or
    /// deleted), keeping `messageBytes` true.
    func replace(at position: Int, with message: Components.Schemas.Message) {
        messageBytes += Self.cost(of: message) - Self.cost(of: messages[position])
        messages[position] = message
    }
}
