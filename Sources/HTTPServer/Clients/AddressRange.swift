/// An address or a block of them in CIDR form (`10.0.0.0/8`, `fd00::/8`, `127.0.0.1`): what
/// `--trusted-proxy` names.
public struct AddressRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let network: IPAddress
    /// How many leading bits must match.
    public let prefixLength: Int

    /// The block `text` spells: an address, or an address, `/` and a prefix length; nil if it
    /// is neither or the length is too long for the family.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let bits = address.bytes.count * 8
        var length = bits
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...bits).contains(given) else { return nil }
            length = given
        }
        network = IPAddress(bytes: Self.masked(address.bytes, to: length))
        prefixLength = length
    }

    /// Whether `address` lies in the block (never across families).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && Self.masked(address.bytes, to: prefixLength) == network.bytes
    }

    /// `10.0.0.0/8`, or the bare address for a block of one.
    public var description: String {
        prefixLength == network.bytes.count * 8 ? network.description : "\(network)/\(prefixLength)"
    }

    /// `bytes` with every bit after the first `length` cleared.
    static func masked(_ bytes: [UInt8], to length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(8, max(0, length - index * 8))
            return kept == 8 ? byte : byte & ~(0xFF >> kept)
        }
    }
}
