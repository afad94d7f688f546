/// A user's secret, as `POST /chat/user` hands it out once: `<user id>.<secret>`, the secret
/// 32 random bytes (256 bits) in unpadded base64url. The id says whose token it is, so checking
/// one is a lookup of that user's digest and one comparison in constant time; the server keeps
/// only the SHA-256 digest of the secret.
struct UserToken: Sendable, Equatable {
    /// The user the token claims to be.
    var userId: String
    /// The secret part, as sent.
    var secret: String

    /// The digest the server keeps of `secret`.
    var digest: [UInt8] { SHA256.digest(Array(secret.utf8)) }

    /// The token as the client sends it.
    var text: String { userId + "." + secret }

    /// A new token for `userId`, from the system's cryptographic random source.
    static func issue(for userId: String) -> UserToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return UserToken(userId: userId, secret: Base64URL.encode(bytes))
    }

    /// Reads a token as sent; nil when it is not of the form `<id>.<secret>`.
    init?(parsing text: String) {
        guard let dot = text.firstIndex(of: "."), dot != text.startIndex else { return nil }
        let secret = text[text.index(after: dot)...]
        guard secret.utf8.count == 43, secret.utf8.allSatisfy(Base64URL.isAlphabet) else { return nil }
        self.init(userId: String(text[..<dot]), secret: String(secret))
    }

    init(userId: String, secret: String) {
        self.userId = userId
        self.secret = secret
    }

    /// Whether two digests are equal, in time that depends only on their length.
    static func digestsMatch(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

/// Unpadded base64url (RFC 4648 §5), the alphabet a bearer token and a query value take as is.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// `bytes` in base64url, without `=` padding.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0...chunk.count { out.append(alphabet[Int(value >> UInt32(18 - 6 * position)) & 63]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `byte` is one of base64url's 64 (`A`–`Z`, `a`–`z`, `0`–`9`, `-`, `_`).
    static func isAlphabet(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
