import Foundation

/// The `; name=value` parameters of a header value such as `Content-Type` or
/// `Content-Disposition` (RFC 9110 5.6.6): names lower-cased, quoted values unquoted (`\"` as
/// `"`), a `;` inside quotes kept. The first segment (the media type itself) is skipped.
enum MediaTypeParameters {
    static func parse(_ value: some StringProtocol) -> [(name: String, value: String)] {
        var segments: [String] = []
        var current = ""
        var inQuotes = false
        var isEscaped = false
        for character in value {
            if isEscaped {
                isEscaped = false
            } else if inQuotes && character == "\\" {
                isEscaped = true
            } else if character == "\"" {
                inQuotes.toggle()
            } else if character == ";" && !inQuotes {
                segments.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        segments.append(current)
        return segments.dropFirst().compactMap { segment in
            guard let equals = segment.firstIndex(of: "=") else { return nil }
            let name = segment[..<equals].trimmingWhitespace().lowercased()
            var text = segment[segment.index(after: equals)...].trimmingWhitespace()
            if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
                text = String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            return (name: name, value: text)
        }
    }
}

extension Substring {
    /// The text without spaces and tabs at either end. Over the UTF-8 view, concrete (not on
    /// `StringProtocol`): unspecialized generic code and `reversed()` made this cost more than
    /// the rest of a post's input checks together.
    func trimmingWhitespace() -> String {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, Self.isWhitespace(bytes[start]) { bytes.formIndex(after: &start) }
        while start < end {
            let last = bytes.index(before: end)
            guard Self.isWhitespace(bytes[last]) else { break }
            end = last
        }
        // Space and tab are ASCII, so the bounds fall between scalars.
        return String(self[start..<end])
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }
}

extension String {
    /// The text without spaces and tabs at either end.
    func trimmingWhitespace() -> String {
        self[...].trimmingWhitespace()
    }
}
