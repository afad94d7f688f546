import APIRuntime
import Foundation
import HTTPServer
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The code RouteGen generates at build time from `openapi.yaml` here, whose schemas and
/// operations are named `Error`, `Type`, `String`, `Swift`, `Components`, `pet` beside `Pet`,
/// `my-type` beside `my_type`, media types, response headers and union variants whose Swift
/// names meet, …: that this target compiles is the first test; these use the
/// types and serve them.
@Suite struct GeneratedNamesTests {
    /// Answers the colliding operations from a fixed error; `error_2` echoes what it is given.
    struct Handler: APIHandler {
        static let stored = Components.Schemas.Error(
            code: .init(value: 7), message: .init(text: "broken"),
            type: .init(protocol: .init(any: .init(value: true)), _self: .init(value: "me")),
            pet: .init(kind: .cat), pet_2: .init(name: "Ann"))

        func error(_ input: Operations.Error.Input) async throws -> Operations.Error.Output {
            .ok(Self.stored)
        }

        func error_2(_ input: Operations.Error_2.Input) async throws -> Operations.Error_2.Output {
            .created(input.body)
        }

        func type(_ input: Operations._Type.Input) async throws -> Operations._Type.Output {
            let sizes = [input.query.pageSize, input.query.pageSize_2].map { $0.map(String.init) ?? "-" }
            return .ok(Components.Schemas._Type(_self: .init(value: (input.query._self ?? "") + " " + sizes.joined(separator: ","))))
        }

        func components(_ input: Operations._Components.Input) async throws -> Operations._Components.Output {
            .ok(.init(schemas: .init(value: "schemas")))
        }

        func string(_ input: Operations.String.Input) async throws -> Operations.String.Output {
            .noContent
        }

        func createPet(_ input: Operations.CreatePet.Input) async throws -> Operations.CreatePet.Output {
            .ok(Components.Schemas.CreatePetRequest(names: [input.body.name]))
        }

        func handler(_ input: Operations.Handler.Input) async throws -> Operations.Handler.Output { .noContent }

        func options(_ input: Operations.Options.Input) async throws -> Operations.Options.Output { .noContent }

        func routes(_ input: Operations.Routes.Input) async throws -> Operations.Routes.Output { .noContent }

        func route(_ input: Operations.Route.Input) async throws -> Operations.Route.Output { .noContent }

        func respond(_ input: Operations.Respond.Input) async throws -> Operations.Respond.Output { .noContent }

        func _init(_ input: Operations.Init.Input) async throws -> Operations.Init.Output { .noContent }

        func input(_ input: Operations.Input.Input) async throws -> Operations.Input.Output { .noContent }

        func swift(_ input: Operations._Swift.Input) async throws -> Operations._Swift.Output {
            .ok(.init(runtime: .init(value: "APIRuntime"), codingKeys: .init(value: "keys")))
        }

        /// Answers the body in the media type `Accept` prefers (a JSON string in the `+json` one,
        /// the bytes reversed in the other), saying in both headers which media type it came in.
        func limits(_ input: Operations.Limits.Input) async throws -> Operations.Limits.Output {
            let (bytes, which): ([UInt8], Int) = switch input.body {
            case .applicationVndJson(let bytes): (bytes, 1)
            case .applicationVndJson_2(let bytes): (bytes, 2)
            }
            return .ok(
                .preferred(by: input.accept, applicationVndJson: String(decoding: bytes, as: UTF8.self), applicationVndJson_2: bytes.reversed()),
                headers: .init(xRateLimit: which, xRateLimit_2: "case \(which)"))
        }

        func labels(_ input: Operations.Labels.Input) async throws -> Operations.Labels.Output {
            .ok(input.body)
        }
    }

    @Test func aSchemaNamedErrorEncodesAndDecodesWithTheSpecsNames() throws {
        let data = try JSONEncoder().encode(Handler.stored)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["code", "message", "type", "pet", "Pet"])
        #expect((object["Pet"] as? [String: Any])?["name"] as? String == "Ann")
        #expect((object["type"] as? [String: Any]).map { Set($0.keys) } == ["protocol", "self"])
        #expect(try JSONDecoder().decode(Components.Schemas.Error.self, from: data) == Handler.stored)
    }

    @Test func namesThatMeetOnceMangledAreDistinctTypes() throws {
        let pet = try JSONDecoder().decode(Components.Schemas.Pet.self, from: Data(#"{"name":"Rex"}"#.utf8))
        let lowercasePet = try JSONDecoder().decode(Components.Schemas.Pet_2.self, from: Data(#"{"kind":"dog"}"#.utf8))
        #expect(pet.name == "Rex")
        #expect(lowercasePet.kind == .dog)
        // A schema named CodingKeys does not hide the coding keys its own encoder uses.
        let keys = Components.Schemas.CodingKeys(value: nil)
        #expect(String(decoding: try JSONEncoder().encode(keys), as: UTF8.self) == #"{"value":null}"#)
        let nested = Components.Schemas.MyType(one: .init(two: "2"))
        #expect(String(decoding: try JSONEncoder().encode(nested), as: UTF8.self) == #"{"one":{"two":"2"}}"#)
    }

    @Test func enumValuesAndDiscriminatorsThatMeetInSwiftAreNumberedCases() throws {
        let kinds = try JSONDecoder().decode([Components.Schemas.SelfKind].self, from: Data(#"["on-hold","onHold","self"]"#.utf8))
        #expect(kinds == [.onHold, .onHold_2, ._self])
        let event = try JSONDecoder().decode(Components.Schemas.Event.self, from: Data(#"{"kind":"onHold"}"#.utf8))
        #expect(event == .onHold_2(.init(kind: "onHold")))
    }

    @Test func theRouterServesTheOperationsOverASocket() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: APIRouter(handler: Handler()))
        let port = try server.start().port
        defer { server.shutdown(deadline: .seconds(2)) }
        let base = "http://127.0.0.1:\(port)"

        let (got, getResponse) = try await URLSession.shared.data(from: URL(string: base + "/errors/e1")!)
        #expect((getResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONDecoder().decode(Components.Schemas.Error.self, from: got) == Handler.stored)

        var post = URLRequest(url: URL(string: base + "/errors/e2")!)
        post.httpMethod = "POST"
        post.setValue("application/json", forHTTPHeaderField: "Content-Type")
        post.httpBody = Data(#"{"code":{"value":1},"message":{"text":"x"}}"#.utf8)
        let (echoed, postResponse) = try await URLSession.shared.data(for: post)
        #expect((postResponse as? HTTPURLResponse)?.statusCode == 201)
        #expect(try JSONDecoder().decode(Components.Schemas.Error.self, from: echoed).message.text == "x")

        // The rule of `String` (minLength 1 on `text`) is checked: the schema is not Swift's String.
        post.httpBody = Data(#"{"code":{"value":1},"message":{"text":""}}"#.utf8)
        let (_, invalidResponse) = try await URLSession.shared.data(for: post)
        #expect((invalidResponse as? HTTPURLResponse)?.statusCode == 400)

        var create = URLRequest(url: URL(string: base + "/pets")!)
        create.httpMethod = "POST"
        create.setValue("application/json", forHTTPHeaderField: "Content-Type")
        create.httpBody = Data(#"{"name":"Rex"}"#.utf8)
        let (created, _) = try await URLSession.shared.data(for: create)
        #expect(try JSONDecoder().decode(Components.Schemas.CreatePetRequest.self, from: created).names == ["Rex"])

        let (typed, _) = try await URLSession.shared.data(from: URL(string: base + "/types?self=me&Protocol=3&page_size=10&pageSize=20")!)
        #expect(String(decoding: typed, as: UTF8.self) == #"{"self":{"value":"me 10,20"}}"#)
    }

    @Test func unionVariantsThatMeetAreNumberedCasesTriedInOrder() throws {
        let json = Data(#"["abc","abcdef",{"name":"Rex"},{"kind":"dog"}]"#.utf8)
        let labels = try JSONDecoder().decode([Components.Schemas.Label].self, from: json)
        #expect(labels == [.string("abc"), .string_2("abcdef"), .pet(.init(name: "Rex")), .pet_2(.init(kind: .dog))])
    }

    @Test func mediaTypesHeadersAndVariantsThatMeetAreServedOverASocket() async throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: APIRouter(handler: Handler()))
        let port = try server.start().port
        defer { server.shutdown(deadline: .seconds(2)) }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/limits")!)
        request.httpMethod = "POST"
        request.httpBody = Data("abc".utf8)
        for (mediaType, which, body) in [("application/vnd+json", 1, #""abc""#), ("application/vnd-json", 2, "cba")] {
            request.setValue(mediaType, forHTTPHeaderField: "Content-Type")
            request.setValue(mediaType, forHTTPHeaderField: "Accept")
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = try #require(response as? HTTPURLResponse)
            #expect(http.statusCode == 200)
            #expect(http.value(forHTTPHeaderField: "Content-Type") == mediaType)
            #expect(http.value(forHTTPHeaderField: "X-Rate-Limit") == "\(which)")
            #expect(http.value(forHTTPHeaderField: "x-rate-limit-") == "case \(which)")
            #expect(String(decoding: data, as: UTF8.self) == body)
        }

        var label = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/labels")!)
        label.httpMethod = "POST"
        label.setValue("application/json", forHTTPHeaderField: "Content-Type")
        label.httpBody = Data(#"{"kind":"cat"}"#.utf8)
        let (echoed, echoResponse) = try await URLSession.shared.data(for: label)
        #expect((echoResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(try JSONDecoder().decode(Components.Schemas.Label.self, from: echoed) == .pet_2(.init(kind: .cat)))
        // Four letters: too long for the first string variant, too short for the second.
        label.httpBody = Data(#""abcd""#.utf8)
        let (_, rejected) = try await URLSession.shared.data(for: label)
        #expect((rejected as? HTTPURLResponse)?.statusCode == 400)
    }
}
