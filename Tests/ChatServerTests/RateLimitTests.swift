import Foundation
import Synchronization
import Testing
@testable import ChatServer

/// Token buckets with a fake clock, and the limits over real sockets: past one, 429 with
/// `Retry-After` and the rate-limit fields, the client alone is refused, and it recovers.
@Suite struct RateLimitTests {
    /// A clock the test moves.
    final class FakeClock: Sendable {
        private let seconds = Mutex(1000.0)
        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var now: @Sendable () -> Double { { [self] in seconds.withLock { $0 } } }
    }

    @Test func aBucketTakesItsBurstThenRefillsAtItsRate() {
        let clock = FakeClock()
        let limiter = RateLimiter(policy: RateLimitPolicy(name: "posts", perSecond: 2, burst: 3), clock: clock.now)
        #expect((0..<3).map { _ in limiter.take("alice") } == [.allowed(remaining: 2), .allowed(remaining: 1), .allowed(remaining: 0)])
        #expect(limiter.take("alice") == .limited(retryAfter: 1))
        #expect(limiter.take("bob") == .allowed(remaining: 2), "another client has a bucket of its own")
        clock.advance(0.5)
        #expect(limiter.take("alice") == .allowed(remaining: 0))
        #expect(limiter.take("alice") == .limited(retryAfter: 1))
        clock.advance(10)
        #expect(limiter.take("alice") == .allowed(remaining: 2), "a bucket never holds more than its burst")
    }

    @Test func aSlowRefillSaysSoInRetryAfter() {
        let limiter = RateLimiter(policy: RateLimitPolicy(name: "streams", perSecond: 0.1, burst: 1), clock: FakeClock().now)
        _ = limiter.take("carol")
        #expect(limiter.take("carol") == .limited(retryAfter: 10))
    }

    @Test func theTableOfClientsIsBounded() {
        let clock = FakeClock()
        let limiter = RateLimiter(policy: RateLimitPolicy(name: "signups", perSecond: 1, burst: 5), capacity: 100, clock: clock.now)
        for index in 0..<10_000 { _ = limiter.take("client-\(index)") }
        #expect(limiter.trackedKeys <= 100)
        // Idle clients (full buckets) go first; a client still being limited is kept.
        let busy = RateLimiter(policy: RateLimitPolicy(name: "signups", perSecond: 1, burst: 1), capacity: 2, clock: clock.now)
        _ = busy.take("flooder")
        clock.advance(5)
        _ = busy.take("idle")
        clock.advance(5)
        _ = busy.take("flooder")
        _ = busy.take("newcomer")
        #expect(busy.take("flooder") == .limited(retryAfter: 1))
    }

    @Test func aDisabledPolicyLimitsNothing() {
        let limiter = RateLimiter(policy: RateLimitConfiguration.off.posts)
        #expect((0..<1000).allSatisfy { _ in limiter.take("x") != .limited(retryAfter: 1) })
    }

    @Test(arguments: StoreKind.all) func postsPastTheBurstAre429WithTheFieldsAndOthersGoOn(_ store: StoreKind) throws {
        let server = try TestServer(store: store) { $0.rateLimits.posts = RateLimitPolicy(name: "posts", perSecond: 0.5, burst: 3) }
        let (room, alice) = try server.makeMember()
        let bob = try server.makeUser("bob")
        _ = try server.join(room, bob)
        for index in 0..<3 { #expect(try server.post(room, alice, "m\(index)").status == 201) }
        let refused = try server.post(room, alice, "one too many")
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "2")
        #expect(refused.header("RateLimit-Policy") == #""posts";q=3;w=6"#)
        #expect(refused.header("RateLimit") == #""posts";r=0;t=2"#)
        #expect(try refused.object()["type"] as? String == "https://chat.example/problems/too-many-requests")
        #expect(try server.post(room, bob, "bob is not limited").status == 201)
        let messages = try server.request("GET", "/chat/\(room)/messages").json() as? [[String: Any]]
        #expect(messages?.count == 4, "the refused post was not stored")
    }

    @Test func signUpsAndLobbiesArePerAddressAndAnsweredWithCORS() throws {
        let server = try TestServer {
            $0.rateLimits.signups = RateLimitPolicy(name: "signups", perSecond: 0.01, burst: 2)
            $0.rateLimits.lobbies = RateLimitPolicy(name: "lobbies", perSecond: 0.01, burst: 1)
        }
        _ = try server.makeUser()
        _ = try server.makeUser()
        let third = try server.request("POST", "/chat/user", json: #"{"name":"carol"}"#)
        #expect(third.status == 429)
        #expect(third.header("Access-Control-Allow-Origin") == "*")
        #expect(third.header("Retry-After") == "100")
        _ = try server.makeLobby()
        #expect(try server.request("POST", "/chat", json: "{}").status == 429)
        #expect(try server.request("GET", "/chat/ping").status == 200, "other requests go on")
    }

    @Test func requestsWithoutATokenArePerAddressAndTokenedOnesAreNot() throws {
        let server = try TestServer { $0.rateLimits.anonymous = RateLimitPolicy(name: "anonymous", perSecond: 0.01, burst: 5) }
        let (room, alice) = try server.makeMember()  // sign-up and lobby: 2 anonymous requests
        for _ in 0..<3 { #expect(try server.request("GET", "/chat/ping").status == 200) }
        let limited = try server.request("GET", "/chat/ping")
        #expect(limited.status == 429)
        #expect(limited.header("RateLimit-Policy") == #""anonymous";q=5;w=500"#)
        #expect(try server.post(room, alice, "with a token").status == 201)
    }

    @Test func metricsAreLimitedLikeAnyRouteUnlessExemptedAndProbesNever() throws {
        for exempt in [false, true] {
            let server = try TestServer {
                $0.rateLimits.anonymous = RateLimitPolicy(name: "anonymous", perSecond: 0.01, burst: 2)
                $0.metricsRateLimited = !exempt
            }
            let statuses = try (0..<4).map { _ in try server.request("GET", "/metrics").status }
            #expect(statuses == (exempt ? [200, 200, 200, 200] : [200, 200, 429, 429]))
            for path in ["/healthz", "/readyz"] { #expect(try server.request("GET", path).status == 200) }
        }
    }

    @Test func aForgedTokenCountsAsNone() throws {
        let server = try TestServer { $0.rateLimits.anonymous = RateLimitPolicy(name: "anonymous", perSecond: 0.01, burst: 3) }
        let (room, alice) = try server.makeMember()  // sign-up and lobby: 2 anonymous requests
        let forged = "Bearer \(alice).\(String(repeating: "A", count: 43))"
        #expect(try server.request("GET", "/chat/ping", authorization: forged).status == 200)
        #expect(try server.request("GET", "/chat/ping", authorization: "Bearer x").status == 429, "a token the server did not issue is no exemption")
        #expect(try server.post(room, alice, "a real token still goes through").status == 201)
    }

    @Test func rateFlagsRefuseWhatWouldOverflow() {
        #expect(RateOption(argument: "1e-300:1") == nil)
        #expect(RateOption(argument: "0.001:5") != nil)
        #expect(RateOption(argument: "0") != nil)
    }
}
