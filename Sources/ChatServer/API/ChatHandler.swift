import APIRuntime
import ChatAPI

/// The chat API: the generated `APIHandler` protocol implemented over `ChatStore`.
///
/// Input arrives already checked against the spec; what is left here is what the spec cannot
/// say (blank names, unknown ids, membership). The store throws `ChatError`, which is a
/// problem: the router answers it with the case its operation documents for its status.
struct ChatHandler: APIHandler {
    let store: any ChatStore
    /// What `/readyz` and `/metrics` read (ChatHandler+Operations.swift).
    var probe = ServerProbe()

    func ping(_ input: Operations.Ping.Input) async throws -> Operations.Ping.Output {
        .ok("pong")
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        .created(try await store.createUser(name: input.body.name))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        .ok(try await store.users())
    }

    func createLobby(_ input: Operations.CreateLobby.Input) async throws -> Operations.CreateLobby.Output {
        .created(try await store.createLobby(room: input.body?.room))
    }

    func listLobbies(_ input: Operations.ListLobbies.Input) async throws -> Operations.ListLobbies.Output {
        .ok(try await store.lobbies())
    }

    func getLobby(_ input: Operations.GetLobby.Input) async throws -> Operations.GetLobby.Output {
        .ok(try await store.lobby(input.path.room))
    }

    func joinLobby(_ input: Operations.JoinLobby.Input) async throws -> Operations.JoinLobby.Output {
        .ok(try await store.join(input.path.room, userId: input.body.userId))
    }

    func leaveLobby(_ input: Operations.LeaveLobby.Input) async throws -> Operations.LeaveLobby.Output {
        .ok(try await store.leave(input.path.room, userId: input.body.userId))
    }

    func postMessage(_ input: Operations.PostMessage.Input) async throws -> Operations.PostMessage.Output {
        .created(try await store.post(input.path.room, userId: input.body.userId, content: input.body.message))
    }

    func listMessages(_ input: Operations.ListMessages.Input) async throws -> Operations.ListMessages.Output {
        .ok(try await store.messages(input.path.room, limit: input.query.limit, after: input.query.after))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(APISpec.yaml)
    }
}
