import Testing
@testable import HTTPServer

/// The per-client bounds over real sockets, each client a loopback address of its own
/// (127.0.0.2, 127.0.0.3, …: all of 127/8 is loopback on Linux).
@Suite struct ClientBoundsTests {
    func limits(_ adjust: (inout HTTPLimits) -> Void) -> HTTPLimits {
        var limits = makeTestLimits()
        adjust(&limits)
        return limits
    }

    func ping(_ client: RawClient) throws -> String {
        client.send("GET /ping HTTP/1.1\r\nHost: h\r\n\r\n")
        return try client.readResponse().text
    }

    @Test func aClientPastItsConnectionsGets429AndOthersAreServed() throws {
        try withServer(limits: limits { $0.maxConnectionsPerClient = 3; $0.maxIdleConnectionsPerClient = 0 }) { server in
            let held = try (0..<3).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
            #expect(eventually { server.connectionCount == 3 })
            let refused = try RawClient(port: server.port, source: "127.0.0.2")
            let answer = try refused.readResponse()
            #expect(answer.status == 429)
            #expect(answer.header("Retry-After") == "1")
            #expect(answer.text.contains("too-many-requests"))
            #expect(refused.waitForClose())
            #expect(try ping(RawClient(port: server.port, source: "127.0.0.3")) == "pong")
            #expect(try ping(held[0]) == "pong")
            #expect(server.counters.snapshot.refusedForClientLimits == 1)
        }
    }

    @Test func aClientPastItsIdleBoundLosesItsIdlestUnusedConnection() throws {
        try withServer(limits: limits { $0.maxIdleConnectionsPerClient = 1; $0.headerTimeout = .seconds(10) }) { server in
            // Two kept-alive connections: they have served requests, and are not counted.
            let keptAlive = try (0..<2).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
            for client in keptAlive { #expect(try ping(client) == "pong") }
            let oldest = try RawClient(port: server.port, source: "127.0.0.2")
            #expect(eventually { server.connectionCount == 3 })
            let second = try RawClient(port: server.port, source: "127.0.0.2")
            let other = try RawClient(port: server.port, source: "127.0.0.3")
            #expect(eventually { server.connectionCount == 5 })
            // Once both have been silent past the grace (2 s), a third shows the client over its
            // bound of 1, and its idlest silent one goes.
            usleepMilliseconds(2200)
            let third = try RawClient(port: server.port, source: "127.0.0.2")
            #expect(oldest.waitForClose(timeout: .seconds(10)))
            for client in [third, second, other] + keptAlive { #expect(try ping(client) == "pong") }
            #expect(server.counters.snapshot.connectionsShed == 1)
        }
    }

    @Test func atTheCapANewcomerIsServedAtTheHeaviestClientsExpense() throws {
        try withServer(limits: limits { $0.maxConnections = 4; $0.maxIdleConnectionsPerClient = 0 }) { server in
            let heavy = try (0..<3).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
            for client in heavy { #expect(try ping(client) == "pong") }
            let light = try RawClient(port: server.port, source: "127.0.0.3")
            #expect(try ping(light) == "pong")
            // Each is idle once the server has noted it, which may come after the client read
            // its answer: until then heavy[0] is busy, and the next idlest would go.
            #expect(eventually { server.idleConnectionCount == 4 })
            let newcomer = try RawClient(port: server.port, source: "127.0.0.4")
            #expect(try ping(newcomer) == "pong")
            // The heavy client's idlest (the first to finish its request) made room.
            #expect(heavy[0].waitForClose(timeout: .seconds(10)))
            #expect(try ping(light) == "pong")
            #expect(try ping(heavy[1]) == "pong")
        }
    }

    /// A connection named for shedding that a request reaches first stays open, and the next
    /// idlest goes in its place: the count comes back to the cap instead of staying past it.
    /// Here the named one has begun a head it has not yet told the table of (a connection that
    /// has served requests reports a new instant at most once a second), so it declines.
    @Test func atTheCapAShedThatMeetsARequestPassesToTheNextIdlest() throws {
        try withServer(limits: limits { $0.maxConnections = 3; $0.maxIdleConnectionsPerClient = 0; $0.headerTimeout = .seconds(30) }) { server in
            let first = try RawClient(port: server.port, source: "127.0.0.2")
            let second = try RawClient(port: server.port, source: "127.0.0.2")
            for client in [first, first, second, second] { #expect(try ping(client) == "pong") }
            let light = try RawClient(port: server.port, source: "127.0.0.3")
            #expect(try ping(light) == "pong")
            #expect(eventually { server.idleConnectionCount == 3 })
            first.send("GET /ping HTTP/1.1\r\nHo")
            // Time for the server to read it. Should the shed still come first (a loaded
            // machine), `first` goes with nothing received, and the count is right as well.
            usleepMilliseconds(100)
            let newcomer = try RawClient(port: server.port, source: "127.0.0.4")
            #expect(try ping(newcomer) == "pong")
            #expect(eventually { server.connectionCount == 3 })
            #expect(server.counters.snapshot.connectionsShed == 1)
            if second.waitForClose(timeout: .seconds(2)) {
                first.send("st: h\r\n\r\n")
                #expect(try first.readResponse().text == "pong")
            } else {
                #expect(first.waitForClose())
            }
        }
    }

    /// Heads sent a few bytes at a time hold the cap only for the grace (2 s), not for the
    /// header timeout: past it, a newcomer is served by shedding the oldest stalled one.
    @Test func atTheCapHeadsStalledPastTheGraceAreShedForANewcomer() throws {
        try withServer(limits: limits { $0.maxConnections = 3; $0.maxIdleConnectionsPerClient = 0; $0.headerTimeout = .seconds(30) }) { server in
            // One head each: a slow link, which has the whole grace.
            let stalled = try ["127.0.0.2", "127.0.0.5", "127.0.0.6"].map { try RawClient(port: server.port, source: $0) }
            for client in stalled { client.send("GET /ping HTTP/1.1\r\nHo") }
            // Once the server has read each (until then they are unused, and sheddable).
            #expect(eventually { server.stalledHeadCount == 3 })
            // Within the grace they are busy: a newcomer meets a full server.
            let early = try RawClient(port: server.port, source: "127.0.0.3")
            #expect(try early.readResponse().status == 503)
            usleepMilliseconds(2300)
            let newcomer = try RawClient(port: server.port, source: "127.0.0.4")
            #expect(try ping(newcomer) == "pong")
            #expect(stalled.filter { $0.waitForClose(timeout: .seconds(5)) }.count == 1)
            #expect(server.counters.snapshot.connectionsShed == 1)
        }
    }

    /// A client sending several heads slowly at once holds the cap for a quarter of a second
    /// (`ClientTable.crowdedHeadGrace`), not for the 2 s a single slow head has.
    @Test func atTheCapAClientsManyStalledHeadsAreShedSooner() throws {
        try withServer(limits: limits { $0.maxConnections = 3; $0.maxIdleConnectionsPerClient = 0; $0.headerTimeout = .seconds(30) }) { server in
            let stalled = try (0..<3).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
            for client in stalled { client.send("GET /ping HTTP/1.1\r\nHo") }
            // The grace runs from when the server read each partial head.
            #expect(eventually { server.stalledHeadCount == 3 })
            usleepMilliseconds(400)
            let newcomer = try RawClient(port: server.port, source: "127.0.0.4")
            #expect(try ping(newcomer) == "pong")
            #expect(stalled.filter { $0.waitForClose(timeout: .seconds(5)) }.count == 1)
            #expect(server.counters.snapshot.connectionsShed == 1)
        }
    }

    @Test func aClientPastItsStreamsGets429() throws {
        let recorder = StreamRecorder()
        try withServer(limits: limits { $0.maxStreamsPerClient = 2 }, responder: recorder) { server in
            func openStream(from source: String) throws -> (RawClient, String) {
                let client = try RawClient(port: server.port, source: source)
                client.send("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
                return (client, try client.read(until: "\r\n\r\n"))
            }
            var held = try (0..<2).map { _ in try openStream(from: "127.0.0.2") }
            #expect(held.allSatisfy { $0.1.hasPrefix("HTTP/1.1 200") })
            let (_, refused) = try openStream(from: "127.0.0.2")
            #expect(refused.hasPrefix("HTTP/1.1 429"))
            #expect(refused.contains("Retry-After: 1\r\n"))
            let other = try openStream(from: "127.0.0.3")
            #expect(other.1.hasPrefix("HTTP/1.1 200"))
            // The refused stream was never opened.
            #expect(eventually { recorder.opened.value == 3 })
            held.removeFirst()
            #expect(eventually { recorder.closes.value == 1 })
            #expect(try openStream(from: "127.0.0.2").1.hasPrefix("HTTP/1.1 200"))
            recorder.forget()
        }
    }

    @Test func behindATrustedProxyTheNamedClientIsCounted() throws {
        let recorder = StreamRecorder()
        let proxies = TrustedProxies([AddressRange("127.0.0.5")!])
        let addressOf = ClosureResponder { request in
            HTTPResponse(status: .ok, contentType: "text/plain", text: "\(request.remoteAddress ?? "-") \(request.client?.description ?? "-")")
        }
        try withServer(limits: limits { $0.maxStreamsPerClient = 1; $0.maxConnectionsPerClient = 1 }, trustedProxies: proxies,
                       responder: addressOf) { server in
            let proxy = try RawClient(port: server.port, source: "127.0.0.5")
            proxy.send("GET /who HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 9.9.9.9, 2001:db8::1\r\n\r\n")
            #expect(try proxy.readResponse().text == "2001:db8::1 2001:db8::/64")
            // The proxy's connections are not bounded as one client's; without a forwarding
            // header its request is its own.
            let second = try RawClient(port: server.port, source: "127.0.0.5")
            #expect(try ping(second) == "127.0.0.5 127.0.0.5")
            let untrusted = try RawClient(port: server.port, source: "127.0.0.6")
            untrusted.send("GET /who HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 203.0.113.1\r\n\r\n")
            #expect(try untrusted.readResponse().text == "127.0.0.6 127.0.0.6")
        }
        try withServer(limits: limits { $0.maxStreamsPerClient = 1 }, trustedProxies: proxies, responder: recorder) { server in
            func openStream(as client: String) throws -> (RawClient, String) {
                let proxy = try RawClient(port: server.port, source: "127.0.0.5")
                proxy.send("GET /stream HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: \(client)\r\n\r\n")
                return (proxy, try proxy.read(until: "\r\n\r\n"))
            }
            let first = try openStream(as: "203.0.113.1")
            #expect(first.1.hasPrefix("HTTP/1.1 200"))
            #expect(try openStream(as: "203.0.113.1").1.hasPrefix("HTTP/1.1 429"))
            #expect(try openStream(as: "203.0.113.2").1.hasPrefix("HTTP/1.1 200"))
            recorder.forget()
        }
    }

    /// Large bodies parked from many clients fill the budget but its small bodies' reserve: a
    /// chat-sized post from anyone still fits.
    @Test func parkedLargeBodiesLeaveTheReserveToSmallOnes() throws {
        try withServer(limits: limits { $0.maxTotalBodyBytes = 100_000; $0.smallBodyReserveBytes = 20_000 }) { server in
            let parked = try (2..<6).map { try RawClient(port: server.port, source: "127.0.0.\($0)") }
            for client in parked { client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 20000\r\n\r\nabc") }
            #expect(eventually { server.bodyBytesInFlight == 80_000 })
            let large = try RawClient(port: server.port, source: "127.0.0.7")
            large.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5000\r\n\r\n")
            #expect(try large.readResponse().status == 503)
            let polite = try RawClient(port: server.port, source: "127.0.0.1")
            let post = String(repeating: "p", count: 4000)
            for _ in 0..<3 {
                polite.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4000\r\n\r\n" + post)
                #expect(try polite.readResponse().body.count == 4000)
            }
        }
    }

    /// Small bodies parked from one address fill only its share: past it that client is
    /// answered 429 before the body is read, and everyone else's posts still fit.
    @Test func parkedBodiesFillOnlyTheirClientsShare() throws {
        let flood = ClientID(IPAddress("127.0.0.2")!)
        try withServer(limits: limits { $0.maxTotalBodyBytes = 100_000; $0.smallBodyReserveBytes = 20_000; $0.maxBodyBytesPerClient = 12_000 }) { server in
            let parked = try (0..<3).map { _ in try RawClient(port: server.port, source: "127.0.0.2") }
            for client in parked { client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4000\r\n\r\nabc") }
            #expect(eventually { server.bodyBytesInFlight(of: flood) == 12_000 })
            let refused = try RawClient(port: server.port, source: "127.0.0.2")
            refused.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4000\r\n\r\n")
            let answer = try refused.readResponse()
            #expect(answer.status == 429)
            #expect(answer.header("Retry-After") == "1")
            #expect(answer.text.contains("too-many-requests"))
            #expect(refused.waitForClose())
            #expect(server.bodyBytesInFlight == 12_000)
            // The same client may still ask without a body, and others post.
            #expect(try ping(RawClient(port: server.port, source: "127.0.0.2")) == "pong")
            let polite = try RawClient(port: server.port, source: "127.0.0.3")
            let post = String(repeating: "p", count: 4000)
            for _ in 0..<3 {
                polite.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 4000\r\n\r\n" + post)
                #expect(try polite.readResponse().body.count == 4000)
            }
            // Finishing a parked body gives its share back.
            parked[0].send(String(repeating: "x", count: 3997))
            #expect(try parked[0].readResponse().body.count == 4000)
            #expect(eventually { server.bodyBytesInFlight(of: flood) == 8_000 })
        }
    }

    @Test func bodiesPastTheBudgetAre503BeforeTheyAreRead() throws {
        try withServer(limits: limits { $0.maxTotalBodyBytes = 100_000 }) { server in
            let parked = try RawClient(port: server.port, source: "127.0.0.2")
            parked.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 60000\r\n\r\nabc")
            #expect(eventually { server.bodyBytesInFlight == 60_000 })
            let refused = try RawClient(port: server.port, source: "127.0.0.3")
            refused.send("POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
            let answer = try refused.readResponse()
            #expect(answer.status == 503)
            #expect(answer.header("Retry-After") == "1")
            #expect(refused.waitForClose())
            // A small body still fits, and one without a body needs none.
            let small = try RawClient(port: server.port, source: "127.0.0.3")
            small.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
            #expect(try small.readResponse().text == "hello")
            #expect(try ping(small) == "pong")
            // The parked body's bytes come back when its connection goes.
            parked.resetOnClose()
            _ = consume parked
            #expect(eventually { server.bodyBytesInFlight == 0 })
            let later = try RawClient(port: server.port, source: "127.0.0.3")
            later.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 60000\r\n\r\n" + String(repeating: "x", count: 60000))
            #expect(try later.readResponse().body.count == 60000)
            #expect(server.bodyBytesInFlight == 0)
        }
    }
}
