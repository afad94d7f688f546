import RouteGenCore

/// Performs `setup` lines against the server, binding each label to what it created: a user's
/// name to its id, a lobby's label to its fresh, unique code.
struct SetupRunner {
    /// What setup created, by label.
    struct Bindings: Sendable {
        var users: [String: String] = [:]
        var rooms: [String: String] = [:]
        /// The messages posted under a label (`… as LABEL`): the label to the server's id.
        var messages: [String: String] = [:]
        /// The tokens the server issued the users setup created.
        var credentials = CredentialBook()
    }

    /// A setup line the server did not accept.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var action: SetupAction
        var request: ClientRequest?
        var problem: String
        var description: String { "setup '\(action)': \(problem)" }
    }

    let client: HTTPClient
    /// The server's known settings, for a count written as a built-in.
    var builtIns: [String: JSON] = [:]

    /// Runs `actions` in order.
    func run(_ actions: [SetupAction], into bindings: inout Bindings) throws(Failure) {
        for action in actions { try perform(action, &bindings) }
    }

    private func perform(_ action: SetupAction, _ bindings: inout Bindings) throws(Failure) {
        switch action {
        case .createUser(let name):
            let body = try expect(201, .json("POST", "/chat/user", JSON.object([(key: "name", value: .string(name))]).description), action)
            guard case .string(let id)? = body["id"] else { throw Failure(action: action, request: nil, problem: "the answer has no id: \(body)") }
            bindings.users[name] = id
            bindings.credentials.learn(from: body)
        case .createLobby(let label):
            let code = Self.freshCode(label)
            _ = try expect(201, .json("POST", "/chat", JSON.object([(key: "room", value: .string(code))]).description), action)
            bindings.rooms[label] = code
        case .freshCode(let label):
            bindings.rooms[label] = Self.freshCode(label)
        case .join(let user, let lobby), .leave(let user, let lobby):
            let (userID, room) = try lookUp(user, lobby, bindings, action)
            let verb = if case .join = action { "join" } else { "leave" }
            let body = JSON.object([(key: "userId", value: .string(userID))]).description
            _ = try expect(200, authorized(.json("POST", "/chat/\(room)/\(verb)", body), as: userID, bindings), action)
        case .post(let user, let lobby, let content, let label):
            let (userID, room) = try lookUp(user, lobby, bindings, action)
            let body = try expect(201, authorized(.json("POST", "/chat/\(room)/message", Self.messageBody(userID, content)), as: userID, bindings), action)
            if let label {
                guard case .string(let id)? = body["id"] else { throw Failure(action: action, request: nil, problem: "the answer has no id: \(body)") }
                bindings.messages[label] = id
            }
        case .delete(let user, let message, let lobby):
            let (userID, room) = try lookUp(user, lobby, bindings, action)
            guard let id = bindings.messages[message] else { throw Failure(action: action, request: nil, problem: "no message '\(message)' was posted before") }
            let target = "/chat/\(room)/messages/\(id)?userId=\(userID)"
            _ = try expect(200, authorized(ClientRequest(method: "DELETE", target: target, headers: []), as: userID, bindings), action)
        case .crowdJoins(let count, let lobby):
            guard let room = bindings.rooms[lobby] else { throw Failure(action: action, request: nil, problem: "no lobby '\(lobby)' was created before") }
            for number in 1...count {
                let body = try expect(201, .json("POST", "/chat/user", JSON.object([(key: "name", value: .string("member-\(number)"))]).description), action)
                var crowd = CredentialBook()
                crowd.learn(from: body)
                guard case .string(let id)? = body["id"] else { throw Failure(action: action, request: nil, problem: "the answer has no id: \(body)") }
                let join = JSON.object([(key: "userId", value: .string(id))]).description
                var request = ClientRequest.json("POST", "/chat/\(room)/join", join)
                if let token = crowd.token(of: id) { request.headers.append((name: "Authorization", value: "Bearer " + token)) }
                _ = try expect(200, request, action)
            }
        case .joinNew(let user, let count):
            guard let userID = bindings.users[user] else { throw Failure(action: action, request: nil, problem: "no user '\(user)' was created before") }
            guard let times = count.resolved(in: builtIns) else {
                throw Failure(action: action, request: nil, problem: "\(count) is no known count from 1 to 10000 for this server")
            }
            let join = JSON.object([(key: "userId", value: .string(userID))]).description
            for number in 1...times {
                let code = Self.freshCode("\(user)-\(number)")
                _ = try expect(201, .json("POST", "/chat", JSON.object([(key: "room", value: .string(code))]).description), action)
                _ = try expect(200, authorized(.json("POST", "/chat/\(code)/join", join), as: userID, bindings), action)
            }
        case .postMany(let user, let lobby, let count):
            let (userID, room) = try lookUp(user, lobby, bindings, action)
            for number in 1...count {
                let request = authorized(.json("POST", "/chat/\(room)/message", Self.messageBody(userID, "message \(number)")), as: userID, bindings)
                _ = try expect(201, request, action)
            }
        }
    }

    /// A code no lobby has: the label, a dash and random letters (the room-code pattern allows both).
    static func freshCode(_ label: String) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        let suffix = String((0..<10).map { _ in letters[Int(generator.next(upperBound: UInt64(letters.count)))] })
        return String(label.prefix(40)) + "-" + suffix
    }

    /// `request` with the user's token, when the server issued one.
    private func authorized(_ request: ClientRequest, as userID: String, _ bindings: Bindings) -> ClientRequest {
        guard let token = bindings.credentials.token(of: userID) else { return request }
        var request = request
        request.headers.append((name: "Authorization", value: "Bearer " + token))
        return request
    }

    private static func messageBody(_ userID: String, _ content: String) -> String {
        JSON.object([(key: "userId", value: .string(userID)), (key: "message", value: .string(content))]).description
    }

    private func lookUp(_ user: String, _ lobby: String, _ bindings: Bindings, _ action: SetupAction) throws(Failure) -> (String, String) {
        guard let userID = bindings.users[user] else { throw Failure(action: action, request: nil, problem: "no user '\(user)' was created before") }
        guard let room = bindings.rooms[lobby] else { throw Failure(action: action, request: nil, problem: "no lobby '\(lobby)' was created before") }
        return (userID, room)
    }

    private func expect(_ status: Int, _ request: ClientRequest, _ action: SetupAction) throws(Failure) -> JSON {
        let response: ClientResponse
        do {
            response = try client.send(request)
        } catch {
            throw Failure(action: action, request: request, problem: "\(error)")
        }
        guard response.status == status else {
            throw Failure(action: action, request: request, problem: "expected status \(status), got \(response.summary)")
        }
        return (try? JSONParser.parse(response.body)) ?? .null
    }
}
