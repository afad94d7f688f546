import Foundation

/// The chat API calls a run needs to set itself up, over a `SetupClient`: users, lobbies,
/// joins, single posts. Each checks the status the contract promises; joins and posts send the
/// acting user's token.
final class ChatClient {
    /// The server answered something the contract does not allow.
    struct UnexpectedAnswer: Error, CustomStringConvertible {
        let request: String
        let status: Int
        let body: String
        var description: String { "\(request) answered \(status): \(body)" }
    }

    private struct CreatedUser: Decodable { var id: String; var token: String? }
    private struct Lobby: Decodable { var room: String }
    private struct Message: Decodable { var seq: Int }

    private let client: SetupClient
    private let decoder = JSONDecoder()

    /// A client for the server at `address`; every call gives up after `timeout` seconds.
    init(address: LoopbackAddress, timeout: Double) {
        client = SetupClient(address: address, timeout: timeout)
    }

    private func call(_ method: String, _ path: String, json: String? = nil, as user: ChatUser? = nil, expect: Int) throws -> Data {
        let answer = try client.request(method, path, json: json, headers: user?.credentialHeaders ?? [])
        guard answer.status == expect else {
            throw UnexpectedAnswer(request: "\(method) \(path)", status: answer.status, body: String(decoding: answer.body.prefix(300), as: UTF8.self))
        }
        return Data(answer.body)
    }

    /// `GET /chat/ping`, which must answer 200.
    func ping() throws {
        _ = try call("GET", "/chat/ping", expect: 200)
    }

    /// Creates a user; returns its id and token.
    func createUser(name: String) throws -> ChatUser {
        let data = try call("POST", "/chat/user", json: RequestBytes.jsonObject([("name", name)]), expect: 201)
        let created = try decoder.decode(CreatedUser.self, from: data)
        return ChatUser(id: created.id, token: created.token)
    }

    /// Creates the lobby `room`; returns its code.
    @discardableResult
    func createLobby(room: String) throws -> String {
        let data = try call("POST", "/chat", json: RequestBytes.jsonObject([("room", room)]), expect: 201)
        return try decoder.decode(Lobby.self, from: data).room
    }

    /// Makes `user` a member of `room`.
    func join(room: String, as user: ChatUser) throws {
        _ = try call("POST", "/chat/\(room)/join", json: RequestBytes.jsonObject([("userId", user.id)]), as: user, expect: 200)
    }

    /// Posts `content` to `room` as `user`; returns the message's `seq`.
    @discardableResult
    func post(room: String, as user: ChatUser, content: String) throws -> Int {
        let body = RequestBytes.jsonObject([("userId", user.id), ("message", content)])
        let data = try call("POST", "/chat/\(room)/message", json: body, as: user, expect: 201)
        return try decoder.decode(Message.self, from: data).seq
    }

    /// How many lobbies `GET /chat` lists, and the size of the answer's body in bytes.
    func lobbyList() throws -> (lobbies: Int, bytes: Int) {
        let data = try call("GET", "/chat", expect: 200)
        return (try decoder.decode([Lobby].self, from: data).count, data.count)
    }
}
