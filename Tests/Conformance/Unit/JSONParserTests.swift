@testable import ConformanceKit
import RouteGenCore
import Testing

/// The suite's own strict JSON reader.
@Suite struct JSONParserTests {
    @Test func readsEveryKindKeepingKeyOrderAndIntegers() throws {
        let value = try JSONParser.parse(#"{"b":[1,2.5,-0,1e2],"a":{"t":true,"f":false,"n":null},"s":"\u00e9\ud83d\udc4b\n"}"#)
        #expect(value.description == #"{"b":[1,2.5,0,100.0],"a":{"t":true,"f":false,"n":null},"s":"é👋\n"}"#)
        #expect(value["b"] == .array([.integer(1), .number(2.5), .integer(0), .number(100)]))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "\"\\x\"", "\"\u{01}\"", "\"\\ud800\"", "{\"a\":1,\"a\":2}",
        "[1] x", "nul", "'a'", "{a:1}", "1e", "[" + String(repeating: "[", count: 300) + "]",
    ])
    func rejectsWhatIsNotStrictJSON(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func pathsReachIntoObjectsAndArrays() throws {
        let value = try JSONParser.parse(#"{"members":[{"id":"a"},{"id":"b"}]}"#)
        #expect(JSONPath("members[1].id")?.value(in: value) == .string("b"))
        #expect(JSONPath("members[2].id")?.value(in: value) == nil)
        #expect(JSONPath.root.value(in: value) == value)
        #expect(JSONPath("a[x]") == nil)
    }
}
