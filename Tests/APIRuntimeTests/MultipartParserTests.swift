import Testing
@testable import APIRuntime

/// `multipart/form-data` framing, fed as raw CRLF bytes.
@Suite struct MultipartParserTests {
    static func parse(_ text: String, boundary: String = "b0", maxParts: Int = 10) throws(MultipartError) -> [MultipartPart] {
        try MultipartParser.parse(Array(text.utf8), boundary: boundary, maxParts: maxParts)
    }

    @Test func partsWithNamesFilenamesAndTypes() throws {
        let body = "preamble\r\n--b0\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
            + "--b0  \r\ncontent-disposition: form-data; name=\"f\"; filename=\"x;\\\"y\\\".txt\"\r\nContent-Type: text/plain\r\n\r\nline\r\nnext\r\n--b0--\r\nepilogue"
        #expect(try Self.parse(body) == [
            MultipartPart(name: "a", body: Array("one".utf8)),
            MultipartPart(name: "f", filename: "x;\"y\".txt", contentType: "text/plain", body: Array("line\r\nnext".utf8)),
        ])
    }

    @Test func anEmptyPartAndContentThatLooksLikeABoundary() throws {
        let body = "--b0\r\nContent-Disposition: form-data; name=\"e\"\r\n\r\n\r\n--b0\r\nContent-Disposition: form-data; name=\"s\"\r\n\r\nx --b0 mid-line is content\r\n--b0--"
        #expect(try Self.parse(body).map(\.body) == [[], Array("x --b0 mid-line is content".utf8)])
    }

    @Test(arguments: [
        ("--b0\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", MultipartError.noClosingDelimiter),
        ("no delimiter at all", .noOpeningDelimiter),
        ("--b0\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--b0junk", .malformedDelimiter),
        ("--b0\r\nContent-Disposition: form-data; name=\"a\"\r\n--b0--", .unterminatedHeaders(part: 1)),
        ("--b0\r\nno colon here\r\n\r\nx\r\n--b0--", .malformedHeader(part: 1)),
        ("--b0\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b0--", .missingName(part: 1)),
        ("--b0\r\nContent-Type: text/plain\r\n\r\nx\r\n--b0--", .missingName(part: 1)),
        ("--b0", .noClosingDelimiter),
    ])
    func malformedBodiesAreNamedErrors(body: String, error: MultipartError) {
        #expect(throws: error) { try Self.parse(body) }
    }

    @Test func everyCutOfAValidBodyFailsOrParsesButNeverTraps() {
        let body = Array("--b0\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n--b0--\r\n".utf8)
        for end in 0..<body.count {
            let parts = try? MultipartParser.parse(Array(body[..<end]), boundary: "b0", maxParts: 10)
            // Only a cut after the closing delimiter's dashes still has the part.
            #expect(parts == nil || parts?.first?.body == Array("one".utf8))
        }
    }

    @Test func thePartLimitHolds() {
        let body = String(repeating: "--b0\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n", count: 3) + "--b0--"
        #expect(throws: MultipartError.tooManyParts(limit: 2)) { try Self.parse(body, maxParts: 2) }
    }

    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc"), ("multipart/form-data; charset=x; BOUNDARY=\"a b;c\"", "a b;c"),
        ("multipart/form-data", nil), ("multipart/form-data; boundary=", nil),
        ("multipart/form-data; boundary=" + String(repeating: "x", count: 71), nil),
    ] as [(String, String?)])
    func theBoundaryComesFromTheContentType(contentType: String, boundary: String?) {
        #expect(MultipartParser.boundary(of: contentType) == boundary)
    }
}
