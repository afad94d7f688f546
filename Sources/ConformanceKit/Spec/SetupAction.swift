/// One line of a fixture's or scenario's `setup`, in the words the spec's example descriptions
/// use. Each binds a label the examples and steps refer to:
///
/// - `user alice`: creates a user named `alice`; `alice` is its id.
/// - `lobby general`: creates a lobby with a fresh unique code; `general` is that code.
/// - `code nope`: a fresh code that no lobby has (nothing is created).
/// - `alice joins general`, `alice leaves general`.
/// - `alice posts "how are you?" in general`: the text between the quotes, as is.
/// - `alice posts "helo" in general as 1d4e…`: the same, binding the label (an example's
///   message id) to the id the server chose, as a lobby's label is bound to its code.
/// - `alice deletes 1d4e… in general`: deletes the message posted under that label.
/// - `alice posts 1001 messages in general`: numbered messages `message 1`, `message 2`, ….
/// - `101 users join general`: that many new users (`member-1`, …), each joining in turn.
/// - `alice joins 3 new lobbies`, `alice joins ${maxLobbiesPerUser} new lobbies`: that many
///   fresh lobbies, each created and joined by alice; the count a number or a built-in the
///   unit requires (the server's lobby cap).
enum SetupAction: Sendable, Equatable, CustomStringConvertible {
    case createUser(String)
    case createLobby(String)
    case freshCode(String)
    case join(user: String, lobby: String)
    case leave(user: String, lobby: String)
    case post(user: String, lobby: String, content: String, label: String? = nil)
    case delete(user: String, message: String, lobby: String)
    case postMany(user: String, lobby: String, count: Int)
    case crowdJoins(count: Int, lobby: String)
    case joinNew(user: String, count: SetupCount)

    /// Reads one line; nil when it is none of the forms above.
    init?(_ line: String) {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard words.count >= 2, words.allSatisfy({ !$0.isEmpty }) else { return nil }
        switch (words.count, words[0], words[1]) {
        case (2, "user", _): self = .createUser(words[1])
        case (2, "lobby", _): self = .createLobby(words[1])
        case (2, "code", _): self = .freshCode(words[1])
        case (3, _, "joins"): self = .join(user: words[0], lobby: words[2])
        case (3, _, "leaves"): self = .leave(user: words[0], lobby: words[2])
        case (5, _, "joins") where words[3] == "new" && words[4] == "lobbies":
            guard let count = SetupCount(words[2]) else { return nil }
            self = .joinNew(user: words[0], count: count)
        case (5, _, "deletes") where words[3] == "in": self = .delete(user: words[0], message: words[2], lobby: words[4])
        case (4, _, "users") where words[2] == "join":
            guard let count = Int(words[0]), count > 0, count <= 10_000 else { return nil }
            self = .crowdJoins(count: count, lobby: words[3])
        case (6, _, "posts") where words[3] == "messages" && words[4] == "in":
            guard let count = Int(words[2]), count > 0, count <= 100_000 else { return nil }
            self = .postMany(user: words[0], lobby: words[5], count: count)
        case (_, _, "posts"):
            guard let open = line.firstIndex(of: "\""), let close = line.lastIndex(of: "\""), open < close else { return nil }
            let rest = line[line.index(after: close)...].split(separator: " ").map(String.init)
            let content = String(line[line.index(after: open)..<close])
            switch rest.count {
            case 2 where rest[0] == "in": self = .post(user: words[0], lobby: rest[1], content: content)
            case 4 where rest[0] == "in" && rest[2] == "as": self = .post(user: words[0], lobby: rest[1], content: content, label: rest[3])
            default: return nil
            }
        default: return nil
        }
    }

    /// The line it was read from, normalised.
    var description: String {
        switch self {
        case .createUser(let name): "user \(name)"
        case .createLobby(let label): "lobby \(label)"
        case .freshCode(let label): "code \(label)"
        case .join(let user, let lobby): "\(user) joins \(lobby)"
        case .leave(let user, let lobby): "\(user) leaves \(lobby)"
        case .post(let user, let lobby, let content, let label): "\(user) posts \"\(content)\" in \(lobby)" + (label.map { " as \($0)" } ?? "")
        case .delete(let user, let message, let lobby): "\(user) deletes \(message) in \(lobby)"
        case .postMany(let user, let lobby, let count): "\(user) posts \(count) messages in \(lobby)"
        case .crowdJoins(let count, let lobby): "\(count) users join \(lobby)"
        case .joinNew(let user, let count): "\(user) joins \(count) new lobbies"
        }
    }
}
