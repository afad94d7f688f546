import Testing
@testable import HTTPServer

/// SplitMix64: small, fast and seedable, so a failing run can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutates well-formed requests into broken ones.
struct RequestMutator {
    static let seeds: [String] = [
        "GET /ping HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
        "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "PUT /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabc",
        "GET /a?b=c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "HEAD /ping HTTP/1.1\r\nHost: h\r\nAccept: */*\r\nUser-Agent: test\r\n\r\n",
    ]

    static let fragments: [String] = [
        "\r\n", "\n", "\r", " ", "\t", ":", "\0", "\u{7F}", "Content-Length: 3\r\n", "Content-Length: -1\r\n",
        "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n", "Host: x\r\n", " folded\r\n",
        "HTTP/2.0", "HTTP/1.1", "ffffffffffffffffff\r\n", "0\r\n\r\n", "Expect: nope\r\n",
        String(repeating: "A", count: 9000), "\u{00E9}", "%00", "GET / HTTP/1.1\r\n",
    ]

    var generator: SeededGenerator

    mutating func make() -> [UInt8] {
        var bytes = Array(Self.seeds.randomElement(using: &generator)!.utf8)
        for _ in 0..<Int.random(in: 1...3, using: &generator) {
            mutate(&bytes)
        }
        return bytes
    }

    private mutating func position(in bytes: [UInt8]) -> Int {
        Int.random(in: 0...bytes.count, using: &generator)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch Int.random(in: 0..<8, using: &generator) {
        case 0 where !bytes.isEmpty:
            bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
        case 1:
            let fragment = Self.fragments.randomElement(using: &generator)!
            bytes.insert(contentsOf: Array(fragment.utf8), at: position(in: bytes))
        case 2 where !bytes.isEmpty:
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            let end = min(bytes.count, start + Int.random(in: 1...8, using: &generator))
            bytes.removeSubrange(start..<end)
        case 3 where !bytes.isEmpty:
            let start = Int.random(in: 0..<bytes.count, using: &generator)
            let end = min(bytes.count, start + Int.random(in: 1...16, using: &generator))
            bytes.insert(contentsOf: bytes[start..<end], at: position(in: bytes))
        case 4:
            // CRLF → LF somewhere.
            if let index = bytes.indices.dropLast().filter({ bytes[$0] == 13 && bytes[$0 + 1] == 10 }).randomElement(using: &generator) {
                bytes.remove(at: index)
            }
        case 5:
            bytes = Array(bytes.prefix(position(in: bytes)))
        case 6:
            bytes = (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        default:
            bytes += Array(Self.seeds.randomElement(using: &generator)!.utf8)
        }
    }
}

@Suite struct RandomizedRequestTests {
    @Test func survivesThousandsOfMalformedRequests() throws {
        let limits = makeTestLimits(
            maxRequestLineBytes: 4096, headerTimeout: .milliseconds(300), bodyTimeout: .milliseconds(300),
            lingerTimeout: .milliseconds(200)
        )
        try withServer(limits: limits) { server in
            var mutator = RequestMutator(generator: SeededGenerator(seed: 0x5EED_2026))
            var answered = 0
            var closedSilently = 0
            var statuses: [Int: Int] = [:]
            for index in 0..<3000 {
                let bytes = mutator.make()
                let client = try RawClient(port: server.port)
                client.send(bytes)
                // Half-close so an incomplete request ends at once instead of timing out.
                client.shutdownWrite()
                do {
                    let response = try client.readResponse(timeout: .seconds(2))
                    statuses[response.status, default: 0] += 1
                    answered += 1
                    let acceptable = response.status == 100 || response.status == 200
                        || (400..<500).contains(response.status) || response.status == 501 || response.status == 505
                    #expect(acceptable, "case \(index): status \(response.status) for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                    if response.status >= 400 {
                        #expect(response.header("Content-Type") == "application/problem+json", "case \(index)")
                        #expect(client.waitForClose(), "case \(index): not closed after \(response.status)")
                    }
                } catch RawClient.Failure.closed {
                    closedSilently += 1
                } catch {
                    Issue.record("case \(index): \(error) for \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                }
            }
            #expect(answered + closedSilently == 3000)
            #expect(statuses[400, default: 0] > 100)
            let good = try RawClient(port: server.port)
            good.send("GET /ping HTTP/1.1\r\nHost: h\r\n\r\n")
            #expect(try good.readResponse().text == "pong")
            #expect(eventually { server.connectionCount == 1 })
        }
    }
}
