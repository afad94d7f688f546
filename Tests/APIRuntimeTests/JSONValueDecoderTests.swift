import Foundation
import Testing
@testable import APIRuntime

/// A body decoded from the value the router parsed must be what `JSONDecoder` makes of its text.
@Suite struct JSONValueDecoderTests {
    struct Inner: Codable, Equatable {
        var tag: String
        var ratio: Double
    }

    enum Colour: String, Codable, Equatable {
        case red, green
    }

    struct Outer: Codable, Equatable {
        var userId: String
        var count: Int
        var small: UInt8
        var flag: Bool
        var note: String?
        var missing: Int?
        var inner: Inner
        var list: [Inner]
        var matrix: [[Int]]
        var map: [String: Int]
        var colour: Colour
        var anything: JSONValue
        var nullable: String?
    }

    static let bodies = [
        #"{"userId":"u-1","count":-3,"small":255,"flag":true,"note":"é \" \n","inner":{"tag":"t","ratio":1},"list":[{"tag":"a","ratio":2.5}],"matrix":[[1,2],[]],"map":{"a":1},"colour":"green","anything":{"x":[1,"y",null]},"nullable":null}"#,
        #"{"userId":"","count":0,"small":0,"flag":false,"inner":{"tag":"","ratio":-1e3},"list":[],"matrix":[],"map":{},"colour":"red","anything":7}"#,
    ]

    @Test(arguments: bodies) func decodesAsJSONDecoderDoes(body: String) throws {
        let value = try JSONReader.parse(Array(body.utf8))
        let fromValue = try JSONValueDecoder().decode(Outer.self, from: value)
        let fromText = try JSONDecoder().decode(Outer.self, from: Data(body.utf8))
        #expect(fromValue == fromText)
    }

    @Test(arguments: [
        #"{"userId":1}"#, #"{"userId":"u","count":1.5}"#, #"{"userId":"u","count":1,"small":256}"#,
        #"{"userId":"u","count":1,"small":1,"flag":"yes"}"#, #"[]"#,
    ])
    func refusesWhatJSONDecoderRefuses(body: String) throws {
        let value = try JSONReader.parse(Array(body.utf8))
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Outer.self, from: value) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Outer.self, from: Data(body.utf8)) }
    }

    @Test func leavesTypesWithDecodingStrategiesToJSONDecoder() throws {
        struct Stamped: Decodable { var at: Date }
        #expect(throws: JSONValueDecoder.Unsupported.self) {
            try JSONValueDecoder().decode(Stamped.self, from: .object(["at": .number(1)]))
        }
    }
}
