import Testing
@testable import HTTPServer

@Suite struct ClientAddressTests {
    @Test func addressesParseAndPrint() {
        #expect(IPAddress("192.0.2.7")?.bytes == [192, 0, 2, 7])
        #expect(IPAddress("[2001:db8::1]")?.description == "2001:db8::1")
        #expect(IPAddress("::ffff:192.0.2.7")?.description == "192.0.2.7")
        for text in ["", "unknown", "192.0.2", "1.2.3.4:80", "_hidden", "2001:db8::1/64"] { #expect(IPAddress(text) == nil) }
    }

    @Test func rangesMatchTheirPrefixOnly() throws {
        let block = try #require(AddressRange("10.1.2.3/8"))
        #expect(block.description == "10.0.0.0/8")
        #expect(block.contains(try #require(IPAddress("10.255.0.1"))))
        #expect(!block.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(!block.contains(try #require(IPAddress("::a01:203"))))
        let one = try #require(AddressRange("::1"))
        #expect(one.description == "::1")
        let (loopback, other) = (try #require(IPAddress("::1")), try #require(IPAddress("::2")))
        #expect(one.contains(loopback) && !one.contains(other))
        #expect(try #require(AddressRange("fd00::/12")).contains(try #require(IPAddress("fd0f::9"))))
        for text in ["10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "nginx"] { #expect(AddressRange(text) == nil) }
    }

    @Test func anIPv6ClientIsItsSlash64() throws {
        #expect(ClientID(try #require(IPAddress("2001:db8:1:2:aaaa::1"))).description == "2001:db8:1:2::/64")
        #expect(ClientID(try #require(IPAddress("2001:db8:1:2:bbbb::9"))) == ClientID(try #require(IPAddress("2001:db8:1:2::5"))))
        #expect(ClientID(try #require(IPAddress("2001:db8:1:3::5"))) != ClientID(try #require(IPAddress("2001:db8:1:2::5"))))
        #expect(ClientID(try #require(IPAddress("192.0.2.7"))).description == "192.0.2.7")
    }

    @Test func aTrustedProxyNamesTheRightmostUntrustedHop() throws {
        let proxies = TrustedProxies([try #require(AddressRange("127.0.0.1")), try #require(AddressRange("10.0.0.0/8"))])
        let proxy = try #require(IPAddress("127.0.0.1"))
        func client(_ headers: HTTPHeaders, peer: IPAddress = proxy) -> String { proxies.client(of: peer, headers: headers).description }
        // What the client wrote itself (left) is never believed: the proxy appended the real peer.
        #expect(client(["X-Forwarded-For": "6.6.6.6, 203.0.113.9"]) == "203.0.113.9")
        #expect(client(["X-Forwarded-For": "6.6.6.6", "X-Forwarded-For": "203.0.113.9, 10.0.0.5"]) == "203.0.113.9")
        #expect(client(["X-Forwarded-For": "10.0.0.5"]) == "10.0.0.5")
        #expect(client(["X-Forwarded-For": "unknown"]) == "127.0.0.1")
        #expect(client([:]) == "127.0.0.1")
        // Only the header the proxies set counts: the other came from the client, passed through.
        #expect(client(["Forwarded": "for=6.6.6.6", "X-Forwarded-For": "203.0.113.9"]) == "203.0.113.9")
        let rfc = TrustedProxies(proxies.ranges, header: .forwarded)
        func forwarded(_ value: String) -> String { rfc.client(of: proxy, headers: ["Forwarded": value, "X-Forwarded-For": "1.1.1.1"]).description }
        #expect(forwarded(#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https"#) == "2001:db8::7")
        #expect(forwarded("proto=http;For=192.0.2.60:8080") == "192.0.2.60")
        // From a peer that is not trusted, the headers say nothing.
        #expect(client(["X-Forwarded-For": "203.0.113.9"], peer: try #require(IPAddress("192.0.2.1"))) == "192.0.2.1")
    }
}
