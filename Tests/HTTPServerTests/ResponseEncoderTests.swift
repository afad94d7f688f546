import Testing
@testable import HTTPServer

@Suite struct ResponseEncoderTests {
    private let date = Array("Sun, 06 Nov 1994 08:49:37 GMT".utf8)

    private func encode(_ head: ResponseHead) -> String {
        var out: [UInt8] = []
        ResponseEncoder.encode(head, date: date, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func writesStatusFieldsDateLengthAndConnection() {
        let text = encode(ResponseHead(
            status: .created, headers: ["Content-Type": "application/json", "Location": "/x"],
            contentLength: 12, connection: .close
        ))
        #expect(text == "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nLocation: /x\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 12\r\nConnection: close\r\n\r\n")
    }

    @Test func dropsFieldsTheTransportOwnsAndNeutralisesLineBreaks() {
        let text = encode(ResponseHead(
            status: .ok,
            headers: ["content-length": "99", "X-Evil": "a\r\nSet-Cookie: b", "Bad Name": "v", "Date": "yesterday"],
            contentLength: 0, connection: .keepAlive
        ))
        #expect(text == "HTTP/1.1 200 OK\r\nX-Evil: a  Set-Cookie: b\r\n"
            + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func omitsLengthWhenThereIsNone() {
        #expect(encode(ResponseHead(status: .noContent, headers: [:], contentLength: nil, connection: .implicit))
            == "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
    }

    @Test(arguments: [0, 7, 10, 99, 100, 65536, 1_234_567_890])
    func writesDecimals(value: Int) {
        var out: [UInt8] = []
        ResponseEncoder.appendDecimal(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }

    @Test func formatsHTTPDates() {
        #expect(String(decoding: HTTPDate.format(epochSeconds: 784_111_777), as: UTF8.self) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(String(decoding: HTTPDate.format(epochSeconds: 0), as: UTF8.self) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(String(decoding: HTTPDate.format(epochSeconds: 951_782_400), as: UTF8.self) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(String(decoding: HTTPDate.format(epochSeconds: 1_795_609_599), as: UTF8.self) == "Wed, 25 Nov 2026 12:26:39 GMT")
    }

    @Test func cachesTheDatePerSecond() {
        var cache = HTTPDateCache()
        let first = cache.bytes(forEpochSeconds: 100)
        #expect(cache.bytes(forEpochSeconds: 100) == first)
        #expect(cache.bytes(forEpochSeconds: 101) != first)
    }
}
