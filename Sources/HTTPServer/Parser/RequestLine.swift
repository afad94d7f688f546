/// The parts of a request line (RFC 9112 §3).
struct RequestLine: Equatable, Sendable {
    var method: String
    var target: String
    var version: HTTPVersion

    /// Parses `method SP request-target SP HTTP-version`, CRLF excluded.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<RequestLine, RequestError> {
        var index = 0
        while index < line.count, HTTPSyntax.isTokenChar(line[index]) { index += 1 }
        let methodEnd = index
        guard methodEnd > 0 else { return .failure(.malformedRequestLine("the method is not a token")) }
        guard index < line.count, line[index] == HTTPSyntax.space else {
            return .failure(.malformedRequestLine("the method is not a token followed by one space"))
        }
        index += 1
        let targetStart = index
        while index < line.count, line[index] != HTTPSyntax.space {
            guard HTTPSyntax.isTargetChar(line[index]) else {
                return .failure(.malformedRequestLine("the target holds a byte outside visible ASCII"))
            }
            index += 1
        }
        let targetEnd = index
        guard targetEnd > targetStart else { return .failure(.malformedRequestLine("the target is empty")) }
        let method = String(decoding: UnsafeBufferPointer(rebasing: line[..<methodEnd]), as: UTF8.self)
        let target = String(decoding: UnsafeBufferPointer(rebasing: line[targetStart..<targetEnd]), as: UTF8.self)
        switch RequestTarget.form(of: target) {
        case nil:
            return .failure(.malformedRequestLine("the target is not in origin form (/path), absolute form (http://host/path) or asterisk form (*)"))
        case .asterisk? where method != "OPTIONS":
            return .failure(.malformedRequestLine("the asterisk form (*) is only for OPTIONS"))
        default:
            break
        }
        guard index < line.count else { return .failure(.malformedRequestLine("no HTTP version")) }
        index += 1
        let version = UnsafeBufferPointer(rebasing: line[index...])
        let parsedVersion: HTTPVersion
        switch parseVersion(version) {
        case .failure(let error): return .failure(error)
        case .success(let parsed): parsedVersion = parsed
        }
        return .success(RequestLine(method: method, target: target, version: parsedVersion))
    }

    /// `HTTP-version = "HTTP/" DIGIT "." DIGIT`; major 1 only (others: 505).
    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<HTTPVersion, RequestError> {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard bytes.count == 8,
              bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"),
              bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: "P"),
              bytes[4] == UInt8(ascii: "/"), digits.contains(bytes[5]),
              bytes[6] == UInt8(ascii: "."), digits.contains(bytes[7])
        else {
            return .failure(.malformedRequestLine("the version is not HTTP/<digit>.<digit>"))
        }
        let version = HTTPVersion(major: Int(bytes[5] - digits.lowerBound), minor: Int(bytes[7] - digits.lowerBound))
        guard version.major == 1 else { return .failure(.versionNotSupported(version.description)) }
        return .success(version)
    }
}
