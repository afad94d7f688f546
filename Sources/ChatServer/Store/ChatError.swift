import APIRuntime
import HTTPServer

/// Everything a client can get wrong in the chat itself (the router has already checked the
/// shapes of the input). Each case is a 4xx problem naming the offending thing; a handler just
/// throws it, and the router answers with the case of the operation that documents its status.
enum ChatError: ProblemConvertible, Equatable, Sendable {
    case userNotFound(String)
    case lobbyNotFound(String)
    case roomTaken(String)
    case notAMember(userId: String, room: String)
    case blankName
    case messageTooLong(limit: Int)
    /// U+0000, which PostgreSQL cannot store in text: refused by both stores alike.
    case nulInMessage
    case missingIdentity
    /// An edit's content is blank, too long or holds U+0000 (`reason` says which).
    case invalidEdit(reason: String)
    /// The lobby has no message with this id (never had, or no longer keeps it).
    case messageNotFound(id: String, room: String)
    /// The message is another user's: only its author may edit or delete it.
    case notTheAuthor(messageId: String, userId: String)
    /// The message was deleted: it cannot be edited.
    case messageDeleted(String)
    /// No token came for an operation that acts as a user (the router answers this itself
    /// unless it runs open; kept so a handler never trusts an absent credential).
    case missingToken
    /// A token the server did not issue, or not of the form it issues.
    case invalidToken
    /// A valid token, but of another user than the one the request names.
    case wrongUser(tokenUser: String, claimed: String)
    case conflictingIdentity(query: String, header: String)
    /// A client past one of its rate limits: try again after `retryAfter` seconds.
    case rateLimited(policy: RateLimitPolicy, retryAfter: Int)
    /// The store holds as many of `what` as it may (`limit`).
    case atCapacity(what: String, limit: Int)
    /// The user is already a member of as many lobbies as one user may be (`limit`).
    case tooManyLobbies(userId: String, limit: Int)
    /// The user already holds as many open streams as one user may.
    case tooManyStreams(limit: Int)
    /// The lobby's streams are behind by more than the backlog allows: try again shortly.
    case lobbyBusy(String)
    /// The database cannot be reached (PostgreSQL store): try again shortly.
    case storeUnavailable
    /// The database refused a statement: a bug of the server's, answered 500 and logged.
    case storeFailed(String)

    /// The problem this error is answered with.
    var problem: ProblemDetails {
        ProblemDetails(kind: kind, status: status, detail: detail, errors: fieldErrors)
    }

    /// The HTTP status this error is answered with.
    var status: HTTPStatus {
        switch self {
        case .userNotFound, .lobbyNotFound, .messageNotFound: .notFound
        case .roomTaken, .messageDeleted, .tooManyLobbies: .conflict
        case .notAMember, .wrongUser, .notTheAuthor: .forbidden
        case .missingToken, .invalidToken: .unauthorized
        case .rateLimited, .tooManyStreams: .tooManyRequests
        case .blankName, .messageTooLong, .nulInMessage, .missingIdentity, .conflictingIdentity, .invalidEdit: .badRequest
        case .storeUnavailable, .atCapacity, .lobbyBusy: .serviceUnavailable
        case .storeFailed: .internalServerError
        }
    }

    /// Which problem this is.
    var kind: ProblemKind {
        switch self {
        case .userNotFound, .lobbyNotFound, .messageNotFound: .notFound
        case .roomTaken: .roomTaken
        case .notAMember: .notAMember
        case .notTheAuthor: .notTheAuthor
        case .messageDeleted: .messageDeleted
        case .tooManyLobbies: .tooManyLobbies
        case .wrongUser: .wrongUser
        case .missingToken, .invalidToken: .unauthorized
        case .rateLimited, .tooManyStreams: .tooManyRequests
        case .blankName, .messageTooLong, .nulInMessage, .missingIdentity, .conflictingIdentity, .invalidEdit: .validation
        case .storeUnavailable, .atCapacity, .lobbyBusy: .serviceUnavailable
        case .storeFailed: .internalError
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
        case .messageTooLong, .nulInMessage: "invalid request: body.message"
        case .invalidEdit: "invalid request: body.content"
        case .messageNotFound(let id, let room): "lobby '\(room)' has no message '\(id)'"
        case .notTheAuthor(let messageId, let userId): "message '\(messageId)' is not user '\(userId)''s"
        case .messageDeleted(let id): "message '\(id)' was deleted"
        case .missingIdentity: "invalid request: name the user with the userId query parameter or the X-User-Id header"
        case .conflictingIdentity: "invalid request: userId and X-User-Id name different users"
        case .missingToken: "this operation needs the acting user's token: Authorization: Bearer <token>"
        case .invalidToken: "the token is not one this server issued"
        case .wrongUser(let tokenUser, let claimed): "the token is user '\(tokenUser)''s, not user '\(claimed)''s"
        case .rateLimited(let policy, let retryAfter):
            "past the '\(policy.name)' limit of \(policy.burst) at once and \(RateLimitPolicy.text(ofRate: policy.perSecond)) per second; try again in \(retryAfter) s"
        case .atCapacity(let what, let limit): "the server holds its most \(what) (\(limit)); try again later"
        case .tooManyLobbies(let userId, let limit):
            "user '\(userId)' is already a member of \(limit) lobbies, the most one user may; leave one (POST /chat/{room}/leave) or delete one (DELETE /chat/{room}) to join another"
        case .tooManyStreams(let limit): "this user already holds \(limit) open streams, the most one user may"
        case .lobbyBusy(let room): "lobby '\(room)' is delivering a backlog of events to its streams; try again shortly"
        case .storeUnavailable: "the chat's database cannot be reached; try again shortly"
        case .storeFailed(let message): "the database refused a statement: \(message)"
        }
    }

    /// The challenge of a 401 (RFC 6750 §3), naming the error for a token that came but failed.
    var responseHeaders: HTTPHeaders {
        switch self {
        case .missingToken: ["WWW-Authenticate": #"Bearer realm="Chat API""#]
        case .invalidToken: ["WWW-Authenticate": #"Bearer realm="Chat API", error="invalid_token""#]
        case .atCapacity: ["Retry-After": "60"]
        case .tooManyStreams: ["Retry-After": "5"]
        case .lobbyBusy: ["Retry-After": "1"]
        case .rateLimited(let policy, let retryAfter):
            // draft-ietf-httpapi-ratelimit-headers: the policy (quota q per window w seconds)
            // and what is left of it (r, reset in t seconds).
            [
                "Retry-After": String(retryAfter),
                "RateLimit-Policy": "\"\(policy.name)\";q=\(policy.burst);w=\(policy.window)",
                "RateLimit": "\"\(policy.name)\";r=0;t=\(retryAfter)",
            ]
        default: [:]
        }
    }

    /// The failing fields of a validation error.
    var fieldErrors: [ProblemDetails.FieldError]? {
        switch self {
        case .blankName: [.init(field: "body.name", reason: "must not be blank")]
        case .messageTooLong(let limit): [.init(field: "body.message", reason: "must be at most \(limit) characters")]
        case .nulInMessage: [.init(field: "body.message", reason: "must not contain U+0000")]
        case .invalidEdit(let reason): [.init(field: "body.content", reason: reason)]
        case .missingIdentity: [.init(field: "query.userId", reason: "is required unless X-User-Id is given")]
        case .conflictingIdentity(let query, let header):
            [.init(field: "header.X-User-Id", reason: "'\(header)' must equal query.userId '\(query)' when both are given")]
        default: nil
        }
    }
}
