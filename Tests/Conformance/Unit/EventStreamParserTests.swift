@testable import ConformanceKit
import Testing

/// The byte-level SSE reader, fed raw bytes split at every boundary.
@Suite struct EventStreamParserTests {
    static let wellFormed = "retry: 3000\n: connected\n\nid: 1\ndata: {\"type\":\"join\"}\n\n: ping\n\nid: 2\ndata: {\"a\":1}\n\n"

    static let expectedItems: [EventStreamParser.Item] = [
        .retry(3000), .comment("connected"),
        .event(.init(id: "1", data: "{\"type\":\"join\"}", line: 4)), .comment("ping"),
        .event(.init(id: "2", data: "{\"a\":1}", line: 9)),
    ]

    /// Items and violations from `chunks` fed one after another.
    func parse(_ chunks: [[UInt8]]) -> ([EventStreamParser.Item], [String]) {
        var parser = EventStreamParser()
        var items: [EventStreamParser.Item] = []
        for chunk in chunks { items += parser.feed(chunk) }
        parser.finish()
        return (items, parser.violations)
    }

    @Test func aWellFormedStreamHasNoViolations() {
        let (items, violations) = parse([Array(Self.wellFormed.utf8)])
        #expect(items == Self.expectedItems)
        #expect(violations.isEmpty)
    }

    @Test(arguments: [Sample(name: "LF", text: "\n"), Sample(name: "CRLF", text: "\r\n"), Sample(name: "CR", text: "\r")])
    func splitAtEveryBoundaryGivesTheSameItems(lineEnd: Sample) {
        let bytes = Array(Self.wellFormed.replacingAll("\n", with: lineEnd.text).utf8)
        for split in 0...bytes.count {
            let (items, violations) = parse([Array(bytes[..<split]), Array(bytes[split...])])
            #expect(items == Self.expectedItems, "split at \(split)")
            #expect(violations.isEmpty, "split at \(split): \(violations)")
        }
        let (oneByOne, _) = parse(bytes.map { [$0] })
        #expect(oneByOne == Self.expectedItems)
    }

    @Test func anEventLineIsAViolation() {
        let (_, violations) = parse([Array("retry: 1\n: c\n\nevent: join\nid: 1\ndata: {}\n\n".utf8)])
        #expect(violations.count == 1)
        #expect(violations.first?.contains("'event:' line") == true)
    }

    @Test func theStreamMustStartWithRetryAndAComment() {
        #expect(parse([Array(": c\n\nid: 1\ndata: {}\n\n".utf8)]).1.contains { $0.contains("must start with a 'retry:'") })
        #expect(parse([Array("retry: 1\n\n: c\n\n".utf8)]).1.contains { $0.contains("without a comment line") })
    }

    @Test func framesHaveAtMostOneIdThenOneData() {
        // Without an id: an ephemeral event's framing (StreamMonitor judges which may have none).
        let (items, violations) = parse([Array("retry: 1\n: c\n\ndata: {}\n\n".utf8)])
        #expect(violations.isEmpty)
        #expect(items.last == .event(.init(id: nil, data: "{}", line: 4)))
        #expect(parse([Array("retry: 1\n: c\n\nid: 1\ndata: {}\ndata: {}\n\n".utf8)]).1.contains { $0.contains("a second 'data:'") })
        #expect(parse([Array("retry: 1\n: c\n\ndata: {}\nid: 1\n\n".utf8)]).1.contains { $0.contains("'id:' after 'data:'") })
        #expect(parse([Array("retry: 1\n: c\n\nid: x\ndata: {}\n\n".utf8)]).1.contains { $0.contains("not a decimal seq") })
    }

    @Test func aUserStreamsCursorIsAnId() {
        #expect(parse([Array("retry: 1\n: c\n\nid: general:3,random-2:40\ndata: {}\n\n".utf8)]).1.isEmpty)
        for bad in ["general=3", "general:", ":3", "general:3,", "gen eral:3"] {
            #expect(parse([Array("retry: 1\n: c\n\nid: \(bad)\ndata: {}\n\n".utf8)]).1.contains { $0.contains("not a decimal seq") }, "\(bad)")
        }
        #expect(EventCursor("general:3,random:40")?.seqs == ["general": 3, "random": 40])
    }

    @Test func anEventCutShortIsNotDispatched() {
        let (items, violations) = parse([Array("retry: 1\n: c\n\nid: 1\ndata: {}\n".utf8)])
        #expect(items == [.retry(1), .comment("c")])
        #expect(violations == ["line 4: the stream ended inside an event (no blank line after it)"])
    }
}
