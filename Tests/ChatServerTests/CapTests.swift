import Testing
@testable import ChatServer

/// The caps on users and lobbies, the same on both stores (PostgreSQL: over every instance).
@Suite struct CapTests {
    @Test(arguments: StoreKind.all) func usersAndLobbiesAreCappedOverSockets(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { configuration in
            configuration.chat.maxUsers = 2
            configuration.chat.maxLobbies = 2
        }
        _ = try server.makeUser("a")
        _ = try server.makeUser("b")
        let user = try server.request("POST", "/chat/user", json: #"{"name":"c"}"#)
        #expect(user.status == 503)
        #expect(user.header("Retry-After") == "60")
        _ = try server.makeLobby("capa")
        _ = try server.makeLobby()
        for body in [#"{"room":"capb"}"#, "{}"] {
            let lobby = try server.request("POST", "/chat", json: body)
            #expect(lobby.status == 503)
            #expect(lobby.text.contains("service-unavailable"))
        }
        // At the cap, the cap is what a taken code meets first too.
        #expect(try server.request("POST", "/chat", json: #"{"room":"capa"}"#).status == 503)
    }
}
