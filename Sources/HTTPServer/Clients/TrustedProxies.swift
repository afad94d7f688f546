/// The peers whose word on the client's address is taken (`--trusted-proxy`): from them, the
/// client is the address the proxies' header names (`X-Forwarded-For`, or `Forwarded` of RFC
/// 7239), read from the right and skipping the trusted proxies' own entries, so an address the
/// client wrote itself further left is never believed. Only the one header the proxies set is
/// read: a proxy passes the other through as the client sent it.
public struct TrustedProxies: Sendable, Equatable {
    /// The header a proxy names the client in.
    public enum Header: String, Sendable, CaseIterable {
        case xForwardedFor = "x-forwarded-for"
        case forwarded
    }

    /// The trusted addresses and blocks.
    public var ranges: [AddressRange]
    /// The header they set. Default `X-Forwarded-For` (what nginx's `$proxy_add_x_forwarded_for` makes).
    public var header: Header

    /// Proxies in `ranges` that set `header`; none by default, so every peer is its own client.
    public init(_ ranges: [AddressRange] = [], header: Header = .xForwardedFor) {
        self.ranges = ranges
        self.header = header
    }

    /// Whether `address` is a trusted proxy.
    public func contains(_ address: IPAddress) -> Bool {
        ranges.contains { $0.contains(address) }
    }

    /// The client a request from `peer` comes from: `peer` itself unless it is trusted; else the
    /// rightmost untrusted address of `header`. An entry that is not an address
    /// (`unknown`, an obfuscated `_name`) ends the walk, and the last trusted hop is the client.
    public func client(of peer: IPAddress, headers: HTTPHeaders) -> IPAddress {
        guard contains(peer) else { return peer }
        let hops = switch header {
        case .xForwardedFor: headers.values(for: "X-Forwarded-For").flatMap { $0.split(separator: ",") }.map { IPAddress(Self.trimmed($0)) }
        case .forwarded: headers.values(for: "Forwarded").flatMap { $0.split(separator: ",") }.map(Self.forNode)
        }
        var client = peer
        for hop in hops.reversed() {
            guard let hop else { break }
            client = hop
            if !contains(hop) { break }
        }
        return client
    }

    /// The address of an element's `for=` parameter (`for=192.0.2.7`, `for="[2001:db8::1]:4711"`).
    private static func forNode(_ element: Substring) -> IPAddress? {
        for pair in element.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, trimmed(parts[0]).lowercased() == "for" else { continue }
            var node = trimmed(parts[1])
            if node.hasPrefix("\""), node.hasSuffix("\""), node.count >= 2 { node = node.dropFirst().dropLast() }
            if node.hasPrefix("["), let end = node.firstIndex(of: "]") { return IPAddress(node[node.index(after: node.startIndex)..<end]) }
            // IPv4 with a port: one colon. An IPv6 node must be bracketed (RFC 7239 §6).
            if let colon = node.firstIndex(of: ":"), node.filter({ $0 == ":" }).count == 1 { node = node[..<colon] }
            return IPAddress(node)
        }
        return nil
    }

    /// `text` without leading and trailing spaces and tabs.
    private static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
