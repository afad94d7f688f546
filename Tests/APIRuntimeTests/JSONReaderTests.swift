import Testing
@testable import APIRuntime

@Suite struct JSONReaderTests {
    @Test func readsEveryKindOfValue() throws {
        let value = try JSONReader.parse(Array(#" {"a":[1,-2.5e1,true,false,null],"b":"x\"\u00e9\ud83d\ude00\n"} "#.utf8))
        #expect(value == .object([
            "a": .array([.integer(1), .number(-25), .bool(true), .bool(false), .null]),
            "b": .string("x\"é😀\n"),
        ]))
    }

    @Test(arguments: [
        ("", 0), ("{", 1), ("[1,]", 3), ("{\"a\":1,}", 7), ("01", 1), ("\"\u{01}\"", 1), ("{\"a\":1}x", 7),
        ("\"\\ud800\"", 7), ("nul", 0), ("{\"a\":1,\"a\":2}", 11), ("1.", 2), ("-", 1), ("\"\\q\"", 3),
    ])
    func rejectsMalformedTextAndSaysWhere(text: String, offset: Int) {
        do {
            _ = try JSONReader.parse(Array(text.utf8))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse([0x22, 0xFF, 0x22]) }
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONReader.Failure.self) { try JSONReader.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(throws: Never.self) { try JSONReader.parse(Array(fine.utf8)) }
    }
}
