import Foundation
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

    @Test(arguments: StoreKind.all) func aCreationAtTheCapRetiresEmptyIdleLobbiesAndUnusedUsers(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { configuration in
            configuration.chat.maxUsers = 3
            configuration.chat.maxLobbies = 2
            configuration.chat.emptyLobbyLifetime = .milliseconds(300)
            configuration.chat.unusedUserLifetime = .milliseconds(300)
        }
        let (room, member) = try server.makeMember("member")
        _ = try server.makeLobby("idle")
        let unused = try server.makeUser("unused")
        _ = try server.makeUser("unused too")
        // Nothing is idle long enough yet: the caps hold.
        #expect(try server.request("POST", "/chat", json: "{}").status == 503)
        #expect(try server.request("POST", "/chat/user", json: #"{"name":"late"}"#).status == 503)
        usleep(1_200_000)
        // The empty lobby went and its code is free again; the one with a member stays.
        #expect(try server.makeLobby("idle") == "idle")
        #expect(try server.request("GET", "/chat/\(room)").status == 200)
        // The users that never joined went; the member stays, and acts.
        _ = try server.makeUser("late")
        #expect(try server.join(room, unused).status == 401)
        #expect(try server.post(room, member, "still here").status == 201)
    }

    @Test(arguments: StoreKind.all) func anEmptyIdleLobbyIsRetiredWithoutACreationAndAnswers404(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { configuration in
            configuration.chat.emptyLobbyLifetime = .milliseconds(300)
        }
        let (kept, member) = try server.makeMember("member")
        let left = try server.makeLobby()
        _ = try server.join(left, member)
        _ = try server.leave(left, member)
        #expect(eventuallyTrue(timeout: 5) { (try? server.request("GET", "/chat/\(left)").status) == 404 })
        #expect(try server.request("GET", "/chat/\(left)/messages").status == 404)
        #expect(try server.request("GET", "/chat/\(kept)").status == 200)
    }
}

/// Polls `condition` every 50 ms for up to `timeout` seconds.
func eventuallyTrue(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(50_000)
    }
    return condition()
}
