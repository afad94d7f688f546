import APIRuntime
import ChatAPI

/// The chat API: the generated `APIHandler` protocol implemented over `ChatStore`.
///
/// Input arrives already checked against the spec; what is left here is what the spec cannot
/// say (blank names, unknown ids, membership). Each method maps `ChatError` onto the statuses
/// its operation documents.
struct ChatHandler: APIHandler {
    let store: ChatStore

    func ping(_ input: Operations.Ping.Input) -> Operations.Ping.Output {
        .ok("pong")
    }

    func createUser(_ input: Operations.CreateUser.Input) -> Operations.CreateUser.Output {
        do {
            return .created(try store.createUser(name: input.body.name))
        } catch {
            return .badRequest(error.problem)
        }
    }

    func listUsers(_ input: Operations.ListUsers.Input) -> Operations.ListUsers.Output {
        .ok(store.users())
    }

    func createLobby(_ input: Operations.CreateLobby.Input) -> Operations.CreateLobby.Output {
        do {
            return .created(try store.createLobby(room: input.body?.room))
        } catch {
            return error.status == 409 ? .conflict(error.problem) : .badRequest(error.problem)
        }
    }

    func listLobbies(_ input: Operations.ListLobbies.Input) -> Operations.ListLobbies.Output {
        .ok(store.lobbies())
    }

    func getLobby(_ input: Operations.GetLobby.Input) -> Operations.GetLobby.Output {
        do {
            return .ok(try store.lobby(input.path.room))
        } catch {
            return .notFound(error.problem)
        }
    }

    func joinLobby(_ input: Operations.JoinLobby.Input) -> Operations.JoinLobby.Output {
        do {
            return .ok(try store.join(input.path.room, userId: input.body.userId))
        } catch {
            return error.status == 404 ? .notFound(error.problem) : .badRequest(error.problem)
        }
    }

    func leaveLobby(_ input: Operations.LeaveLobby.Input) -> Operations.LeaveLobby.Output {
        do {
            return .ok(try store.leave(input.path.room, userId: input.body.userId))
        } catch {
            return error.status == 404 ? .notFound(error.problem) : .badRequest(error.problem)
        }
    }

    func postMessage(_ input: Operations.PostMessage.Input) -> Operations.PostMessage.Output {
        do {
            return .created(try store.post(input.path.room, userId: input.body.userId, content: input.body.message))
        } catch {
            switch error.status {
            case 403: return .forbidden(error.problem)
            case 404: return .notFound(error.problem)
            default: return .badRequest(error.problem)
            }
        }
    }

    func listMessages(_ input: Operations.ListMessages.Input) -> Operations.ListMessages.Output {
        do {
            return .ok(try store.messages(input.path.room, limit: input.query.limit, after: input.query.after))
        } catch {
            return .notFound(error.problem)
        }
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) -> Operations.GetOpenAPIDocument.Output {
        .ok(APISpec.yaml)
    }
}
