import HTTPServer

/// The id a 500 answer and its report share (`X-Request-Id`).
public enum RequestID {
    /// The header that carries it, both ways.
    public static let headerName = "X-Request-Id"
    /// The longest client id that is kept.
    public static let maxLength = 64

    /// The request's own `X-Request-Id` when it is 1 to 64 visible ASCII characters (no spaces),
    /// else a new random one of 16 hex digits.
    public static func of(_ request: HTTPRequest) -> String {
        if let given = request.headers[headerName], isAcceptable(given) { return given }
        return random()
    }

    /// Whether a client's id can be echoed as it is.
    static func isAcceptable(_ id: String) -> Bool {
        (1...maxLength).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// 16 random hex digits.
    static func random() -> String {
        let hex = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
