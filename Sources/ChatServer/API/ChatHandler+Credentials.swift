import ChatAPI

// The token each operation that acts as a user came with, whichever scheme carried it.

extension Operations.JoinLobby.Credential {
    var token: String? { if case .userToken(let token) = self { token } else { nil } }
}

extension Operations.LeaveLobby.Credential {
    var token: String? { if case .userToken(let token) = self { token } else { nil } }
}

extension Operations.PostMessage.Credential {
    var token: String? { if case .userToken(let token) = self { token } else { nil } }
}

extension Operations.StreamEvents.Credential {
    var token: String? {
        switch self {
        case .userToken(let token), .accessToken(let token): token
        case .anonymous: nil
        }
    }
}
