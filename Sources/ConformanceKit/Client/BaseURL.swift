/// Where the server under test listens: `http://HOST:PORT` on a loopback address only.
struct BaseURL: Sendable, Equatable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal (`127.0.0.1`, `::1`).
    let host: String
    let port: UInt16

    /// Reads `http://127.0.0.1:PORT`, `http://localhost:PORT` or `http://[::1]:PORT` (a trailing
    /// `/` allowed); nil for anything else, including every non-loopback host.
    init?(_ text: String) {
        var rest = Substring(text)
        guard rest.hasPrefix("http://") else { return nil }
        rest = rest.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        let hostPart: Substring
        let portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            portPart = rest[rest.index(close, offsetBy: 2)...]
        } else {
            guard let colon = rest.lastIndex(of: ":") else { return nil }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        }
        guard let port = UInt16(portPart), port > 0 else { return nil }
        switch hostPart {
        case "localhost": host = "127.0.0.1"
        case "::1": host = "::1"
        default:
            let octets = hostPart.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
            guard octets.count == 4, octets[0] == 127 else { return nil }
            host = String(hostPart)
        }
        self.port = port
    }

    /// The `Host` header value.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    var description: String { "http://\(authority)" }
}
