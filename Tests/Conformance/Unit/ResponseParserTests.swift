@testable import ConformanceKit
import Testing

/// The client's response reader: Content-Length and chunked bodies, split anywhere.
@Suite struct ResponseParserTests {
    /// The head and body parsed from `chunks`, then the end of the connection.
    func read(_ chunks: [[UInt8]], method: String = "GET") throws -> (ResponseHead, [UInt8]) {
        var parser = ResponseParser(requestMethod: method)
        var body: [UInt8] = []
        for chunk in chunks where !parser.isComplete { body += try parser.feed(chunk) }
        try parser.finish()
        let head = try #require(parser.head)
        return (head, body)
    }

    static let lengthResponse = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"name\":\"al\"}"
    static let chunkedResponse =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n"

    @Test(arguments: [
        Sample(name: "Content-Length", text: lengthResponse, expected: "{\"name\":\"al\"}"),
        Sample(name: "chunked", text: chunkedResponse, expected: "hello, world"),
    ])
    func splitAtEveryBoundaryReadsTheSameBody(response: Sample) throws {
        let bytes = Array(response.text.utf8)
        let body = response.expected
        for split in 0...bytes.count {
            let (head, read) = try read([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(String(decoding: read, as: UTF8.self) == body, "split at \(split)")
            #expect(head.status == 201 || head.status == 200)
        }
        let (_, oneByOne) = try read(bytes.map { [$0] })
        #expect(String(decoding: oneByOne, as: UTF8.self) == body)
    }

    @Test func headersAreReadCaseInsensitivelyWithTheirMediaType() throws {
        let (head, _) = try read([Array(Self.lengthResponse.utf8)])
        #expect(head.header("content-type") == "application/json")
        #expect(head.mediaType == "application/json")
        #expect(head.reason == "Created")
    }

    @Test func headAnswersAndInterimResponsesCarryNoBody() throws {
        let (head, body) = try read([Array("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n".utf8)], method: "HEAD")
        #expect(head.status == 200 && body.isEmpty)
        let (final, _) = try read([Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n".utf8)])
        #expect(final.status == 204)
    }

    @Test func aBodyCutShortIsAnError() {
        #expect(throws: ClientError.self) { try read([Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8)]) }
        #expect(throws: ClientError.self) { try read([Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab".utf8)]) }
    }

    @Test(arguments: [
        Sample(name: "four-digit status", text: "HTTP/1.1 2000 OK\r\n\r\n"),
        Sample(name: "HTTP/2", text: "HTTP/2 200 OK\r\n\r\n"),
        Sample(name: "bare LF", text: "HTTP/1.1 200 OK\nContent-Length: 0\n\n\r\n\r\n"),
        Sample(name: "space in a name", text: "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n"),
        Sample(name: "two lengths", text: "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n"),
    ])
    func malformedHeadsAreRejected(head: Sample) {
        #expect(throws: ClientError.self) { try read([Array(head.text.utf8)]) }
    }
}
