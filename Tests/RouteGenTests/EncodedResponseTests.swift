import APIRuntime
import ChatAPI
import Testing

/// A generated `…(encoded:)` factory answers what its value case answers: the same status,
/// media type, headers (fixed and typed) and body bytes.
@Suite struct EncodedResponseTests {
    static func parts(_ response: HTTPResponse) -> (status: Int, headers: [String?], body: [UInt8]?) {
        let body: [UInt8]? = if case .bytes(let bytes) = response.body { bytes } else { nil }
        return (response.status.code, ["Content-Type", "Cache-Control", "Link"].map { response.headers[$0] }, body)
    }

    @Test func aFactoryWithAFixedHeaderAnswersAsItsCase() throws {
        let user = Components.Schemas.CreatedUser(id: "u-1", name: "Ada \"A\"", token: "t/1")
        let encoded = Operations.CreateUser.Output.created(encoded: try EncodedJSON(user)).response(.init())
        let value = Operations.CreateUser.Output.created(user).response(.init())
        #expect(Self.parts(encoded) == Self.parts(value))
        #expect(encoded.headers["Cache-Control"] == "no-store")
    }

    @Test func aFactoryWithTypedHeadersAnswersAsItsCase() throws {
        let users = [Components.Schemas.User(id: "u-1", name: "Ada"), Components.Schemas.User(id: "u-2", name: "Bo")]
        let headers = Operations.ListUsers.Output.OkHeaders(link: "</chat/users?after=u-2>; rel=\"next\"")
        let encoded = Operations.ListUsers.Output.ok(encoded: try EncodedJSON(users), headers: headers).response(.init())
        let value = Operations.ListUsers.Output.ok(users, headers: headers).response(.init())
        #expect(Self.parts(encoded) == Self.parts(value))
        #expect(encoded.headers["Link"] != nil)
    }
}
