/// Everything a client can get wrong in the chat itself (the router has already checked the
/// shapes of the input). Each case becomes a 4xx problem naming the offending thing.
enum ChatError: Error, Equatable, Sendable {
    case userNotFound(String)
    case lobbyNotFound(String)
    case roomTaken(String)
    case notAMember(userId: String, room: String)
    case blankName
    case messageTooLong(limit: Int)
    case missingIdentity
    case conflictingIdentity(query: String, header: String)

    /// The HTTP status this error is answered with.
    var status: Int {
        switch self {
        case .userNotFound, .lobbyNotFound: 404
        case .roomTaken: 409
        case .notAMember: 403
        case .blankName, .messageTooLong, .missingIdentity, .conflictingIdentity: 400
        }
    }

    /// The last segment of the problem `type`.
    var kind: String {
        switch self {
        case .userNotFound, .lobbyNotFound: "not-found"
        case .roomTaken: "room-taken"
        case .notAMember: "not-a-member"
        case .blankName, .messageTooLong, .missingIdentity, .conflictingIdentity: "validation"
        }
    }

    /// What went wrong, naming the thing.
    var detail: String {
        switch self {
        case .userNotFound(let id): "user '\(id)' does not exist"
        case .lobbyNotFound(let room): "lobby '\(room)' does not exist"
        case .roomTaken(let room): "lobby '\(room)' already exists"
        case .notAMember(let userId, let room): "user '\(userId)' is not a member of lobby '\(room)'"
        case .blankName: "invalid request: body.name"
        case .messageTooLong: "invalid request: body.message"
        case .missingIdentity: "invalid request: name the user with the userId query parameter or the X-User-Id header"
        case .conflictingIdentity: "invalid request: userId and X-User-Id name different users"
        }
    }

    /// The failing fields of a validation error, `(field, reason)`.
    var fieldErrors: [(field: String, reason: String)]? {
        switch self {
        case .blankName: [("body.name", "must not be blank")]
        case .messageTooLong(let limit): [("body.message", "must be at most \(limit) characters")]
        case .missingIdentity: [("query.userId", "is required unless X-User-Id is given")]
        case .conflictingIdentity(let query, let header):
            [("header.X-User-Id", "'\(header)' must equal query.userId '\(query)' when both are given")]
        default: nil
        }
    }
}
