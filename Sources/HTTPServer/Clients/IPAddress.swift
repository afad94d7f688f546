import EventLoop

/// An IPv4 or IPv6 address in binary form: what a client is, before it becomes a `ClientID`.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// Four bytes for IPv4, sixteen for IPv6, in network order.
    public let bytes: [UInt8]

    /// The address `text` spells (`192.0.2.7`, `2001:db8::1`, `[2001:db8::1]`), or nil. An
    /// IPv4-mapped IPv6 address (`::ffff:192.0.2.7`) is its IPv4 address: one client, one key.
    public init?(_ text: some StringProtocol) {
        var text = String(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        guard let bytes = System.addressBytes(of: text) else { return nil }
        self.init(bytes: bytes)
    }

    /// An address from its 4 or 16 bytes (IPv4-mapped IPv6 made IPv4).
    init(bytes: [UInt8]) {
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            self.bytes = Array(bytes[12...])
        } else {
            self.bytes = bytes
        }
    }

    /// Whether it is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The usual text form (`192.0.2.7`, `2001:db8::1`).
    public var description: String { System.addressText(of: bytes) }
}
