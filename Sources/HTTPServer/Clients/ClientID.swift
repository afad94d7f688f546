/// Who a client is for the per-client bounds: its IPv4 address, or the /64 its IPv6 address
/// lies in (one host usually holds a whole /64, so counting its addresses apart would let it
/// pick a new one per connection).
public struct ClientID: Sendable, Hashable, CustomStringConvertible {
    /// `192.0.2.7`, or `2001:db8:1:2::/64`.
    public let description: String

    /// The client `address` belongs to.
    public init(_ address: IPAddress) {
        if address.isIPv4 {
            description = address.description
        } else {
            description = "\(IPAddress(bytes: AddressRange.masked(address.bytes, to: 64)))/64"
        }
    }
}
