import Foundation

/// Compiled `pattern`s, with ECMA-262 meaning: JSON Schema patterns are ECMA regular
/// expressions, where `$` (without the multiline flag) matches only at the very end, while ICU's
/// `$` also matches before a final line break. Each `$` outside a class becomes `\z`, so
/// `"general\n"` does not pass `^[A-Za-z0-9_-]{1,64}$`.
///
/// Not shared between threads: each validator owns one.
final class PatternCache {
    private var compiled: [String: NSRegularExpression] = [:]

    /// Whether `text` contains a match of `pattern`; nil when the pattern does not compile.
    func matches(_ pattern: String, _ text: String) -> Bool? {
        guard let expression = expression(for: pattern) else { return nil }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.firstMatch(in: text, options: [], range: range) != nil
    }

    private func expression(for pattern: String) -> NSRegularExpression? {
        if let known = compiled[pattern] { return known }
        guard let expression = try? NSRegularExpression(pattern: Self.ecmaAnchored(pattern)) else { return nil }
        compiled[pattern] = expression
        return expression
    }

    /// `pattern` with every unescaped `$` outside a character class turned into `\z`.
    static func ecmaAnchored(_ pattern: String) -> String {
        var result = ""
        var escaped = false
        var inClass = false
        for character in pattern {
            if escaped {
                result.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\":
                escaped = true
                result.append(character)
            case "[":
                inClass = true
                result.append(character)
            case "]":
                inClass = false
                result.append(character)
            case "$" where !inClass:
                result += "\\z"
            default:
                result.append(character)
            }
        }
        return result
    }
}
