import HTTPServer

extension ProblemKind {
    /// A lobby with the requested code already exists (409).
    static let roomTaken: ProblemKind = "room-taken"
    /// The user exists but is not a member of the lobby (403).
    static let notAMember: ProblemKind = "not-a-member"
    /// A valid token, but of another user than the request's `userId` (403).
    static let wrongUser: ProblemKind = "wrong-user"
    /// The message is another user's: only its author may edit or delete it (403).
    static let notTheAuthor: ProblemKind = "not-the-author"
    /// The user is a member of as many lobbies as one user may be (409).
    static let tooManyLobbies: ProblemKind = "too-many-lobbies"
    /// The message was deleted and cannot be edited (409).
    static let messageDeleted: ProblemKind = "message-deleted"
}
