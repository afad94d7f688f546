/// One header or trailer field line, as byte ranges of the received line (RFC 9112 §5).
struct FieldLine {
    /// The field name, a token.
    var name: UnsafeBufferPointer<UInt8>
    /// The field value without surrounding white space.
    var value: UnsafeBufferPointer<UInt8>

    var nameString: String { String(decoding: name, as: UTF8.self) }
    var valueString: String { String(decoding: value, as: UTF8.self) }

    /// Parses `field-name ":" OWS field-value OWS`, CRLF excluded; the line must be non-empty.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<FieldLine, RequestError> {
        if HTTPSyntax.isWhitespace(line[0]) { return .failure(.obsoleteLineFolding) }
        var index = 0
        while index < line.count, HTTPSyntax.isTokenChar(line[index]) { index += 1 }
        guard index < line.count, line[index] == HTTPSyntax.colon else {
            // RFC 9112 §5.1: no white space between name and colon.
            return .failure(.malformedHeader(index < line.count && HTTPSyntax.isWhitespace(line[index])
                ? "white space before the colon" : "the name is not a token followed by a colon"))
        }
        guard index > 0 else { return .failure(.malformedHeader("empty field name")) }
        let name = UnsafeBufferPointer(rebasing: line[..<index])
        let value = HTTPSyntax.trimmingWhitespace(UnsafeBufferPointer(rebasing: line[(index + 1)...]))
        for byte in value where !HTTPSyntax.isFieldValueChar(byte) {
            return .failure(.malformedHeader("control character in the value of '\(String(decoding: name, as: UTF8.self))'"))
        }
        return .success(FieldLine(name: name, value: value))
    }
}
