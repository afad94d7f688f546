@testable import ConformanceKit
import Testing

/// The judge as a polite client: which answers it waits out, how it names what it was not
/// told, and how it follows a `Link` to the next page.
@Suite struct PoliteClientTests {
    static func head(_ status: Int, _ fields: [(String, String)]) throws -> ResponseHead {
        var text = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\n"
        for (name, value) in fields { text += "\(name): \(value)\r\n" }
        var parser = ResponseParser(requestMethod: "GET")
        _ = try parser.feed(Array((text + "\r\n").utf8))
        return try #require(parser.head)
    }

    @Test(arguments: [429, 503])
    func aLimitOrUnavailableAnswerWithRetryAfterIsWaitedOut(status: Int) throws {
        let delay = BackOff().delay(after: try Self.head(status, [("Retry-After", "2")]), expecting: 201, retry: 0, waited: 0)
        #expect(delay.map { $0 >= 2 && $0 < 2.5 } == true, "\(String(describing: delay))")
    }

    @Test func anExpectedStatusNoDelayOrSpentBudgetIsTakenAsTheAnswer() throws {
        let backOff = BackOff(maxRetries: 3, maxWaitPerRequest: 10)
        let limited = try Self.head(429, [("Retry-After", "1")])
        #expect(backOff.delay(after: limited, expecting: 429, retry: 0, waited: 0) == nil, "the step expects the 429")
        #expect(backOff.delay(after: try Self.head(429, []), expecting: nil, retry: 0, waited: 0) == nil, "no Retry-After")
        #expect(backOff.delay(after: try Self.head(429, [("Retry-After", "Fri, 07 Dec 2026 03:00:00 GMT")]), expecting: nil, retry: 0, waited: 0) == nil)
        #expect(backOff.delay(after: try Self.head(500, [("Retry-After", "1")]), expecting: nil, retry: 0, waited: 0) == nil)
        #expect(backOff.delay(after: limited, expecting: nil, retry: 3, waited: 0) == nil, "retries spent")
        #expect(backOff.delay(after: try Self.head(503, [("Retry-After", "60")]), expecting: nil, retry: 0, waited: 0) == nil, "past the time per request")
        #expect(backOff.delay(after: limited, expecting: nil, retry: 0, waited: 9.5) == nil, "time per request spent")
    }

    @Test func theWaitIsTalliedForTheReport() {
        let backOff = BackOff()
        #expect(backOff.summary.line.hasPrefix("waited 0 s"))
        backOff.wait(0.01, first: true)
        backOff.wait(0.02, first: false)
        #expect(backOff.summary == BackOff.Summary(requests: 1, retries: 2, seconds: 0.03))
        #expect(backOff.summary.line.contains("for 1 request(s) answered 429 or 503 with Retry-After (2 retries)"))
    }

    @Test func skipsNameTheOptionOfTheWayTheJudgeRuns() {
        var settings = Settings.fromEnvironment([:])
        #expect(settings.howToSet(["heartbeat", "postBurst", "streamBurst"]) == "not known or not so: set CONFORMANCE_HEARTBEAT, CONFORMANCE_POST_BURST, CONFORMANCE_STREAM_BURST")
        settings.origin = .commandLine
        #expect(settings.howToSet(["heartbeat", "postBurst", "streamBurst"]) == "not known or not so: give --heartbeat S, --rate-bursts P:M:S")
        #expect(ConformanceOptions(baseURLs: []).settings.origin == .commandLine)
    }

    @Test(arguments: [
        (#"</chat/users?limit=2&after=7>; rel="next""#, "/chat/users?limit=2&after=7"),
        (#"<http://127.0.0.1:3000/chat?after=3>; rel=next"#, "/chat?after=3"),
        (#"</a>; rel="prev", </b>; rel="next last""#, "/b"),
    ])
    func theNextLinkIsFollowed(value: String, target: String) throws {
        #expect(PageWalker.nextTarget(try Self.head(200, [("Link", value)])) == target)
    }

    @Test func noNextLinkEndsTheList() throws {
        #expect(PageWalker.nextTarget(try Self.head(200, [])) == nil)
        #expect(PageWalker.nextTarget(try Self.head(200, [("Link", #"</a>; rel="prev""#)])) == nil)
    }

    @Test func anAbsoluteTargetIsMatchedByItsPathAndQuery() {
        #expect(ClientRequest(method: "GET", target: "http://127.0.0.1/chat/ping").originTarget == "/chat/ping")
        #expect(ClientRequest(method: "GET", target: "http://h?x=1").originTarget == "/?x=1")
        #expect(ClientRequest(method: "OPTIONS", target: "*").originTarget == "*")
    }
}
