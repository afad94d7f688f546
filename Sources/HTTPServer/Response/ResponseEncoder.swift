/// Writes response heads as bytes (RFC 9112 §4 and §5).
enum ResponseEncoder {
    /// The interim response that lets a client send the body it held back.
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Appends `head` to `out`: status line, the responder's fields minus those the transport
    /// owns, then `Date`, `Content-Length`, `Connection` and the empty line.
    static func encode(_ head: ResponseHead, date: [UInt8], into out: inout [UInt8]) {
        append("HTTP/1.1 ", to: &out)
        appendDecimal(head.status.code, to: &out)
        out.append(UInt8(ascii: " "))
        appendSanitized(head.status.reasonPhrase, to: &out)
        append("\r\n", to: &out)
        for field in head.headers where !isTransportOwned(field.name) && isToken(field.name) {
            out.append(contentsOf: field.name.utf8)
            append(": ", to: &out)
            appendSanitized(field.value, to: &out)
            append("\r\n", to: &out)
        }
        append("Date: ", to: &out)
        out.append(contentsOf: date)
        if let length = head.contentLength {
            append("\r\nContent-Length: ", to: &out)
            appendDecimal(length, to: &out)
        }
        switch head.connection {
        case .implicit: break
        case .keepAlive: append("\r\nConnection: keep-alive", to: &out)
        case .close: append("\r\nConnection: close", to: &out)
        }
        append("\r\n\r\n", to: &out)
    }

    /// The fields the transport writes itself; a responder's copies are dropped so the
    /// framing on the wire is always the transport's.
    @inline(__always)
    static func isTransportOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: name.caseInsensitiveEquals("Date")
        case 10: name.caseInsensitiveEquals("Connection")
        case 14: name.caseInsensitiveEquals("Content-Length")
        case 17: name.caseInsensitiveEquals("Transfer-Encoding")
        default: false
        }
    }

    private static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(HTTPSyntax.isTokenChar)
    }

    @inline(__always)
    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `text`, with CR, LF and NUL turned into spaces so no value can end the head early.
    @inline(__always)
    private static func appendSanitized(_ text: String, to out: inout [UInt8]) {
        let first = out.count
        out.append(contentsOf: text.utf8)
        for index in first..<out.count {
            let byte = out[index]
            if byte == HTTPSyntax.cr || byte == HTTPSyntax.lf || byte == 0 { out[index] = HTTPSyntax.space }
        }
    }

    @inline(__always)
    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: max(value, 0)))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { digits in
            while rest > 0 {
                digits[count] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { out.append(digits[index]) }
        }
    }
}
