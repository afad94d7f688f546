import Foundation

/// An ECMA-262 regular expression, searched (not anchored) as JSON Schema says.
///
/// Made once per process (generated code holds each in a `static let`). What `PatternSyntax`
/// reads, which is what specs use, is compiled into a `PatternProgram` and matched in plain
/// Swift over the string's UTF-8; anything else is matched by Foundation's
/// NSRegularExpression (ICU) as before. Compiled, `\d`, `\w`, `\s` and `.` mean what
/// ECMA-262 says (ASCII digits and word characters; ICU's are Unicode).
public final class Pattern: Sendable {
    public let source: String
    /// The program for the fast search (quantified classes as runs), and the one for the
    /// exhaustive search it hands over to when its step budget runs out; nil: ICU matches.
    private let programs: (fast: PatternProgram, exhaustive: PatternProgram)?
    /// Why `source` is not compiled; nil when it is.
    public let notCompiled: String?
    /// ICU's expression: for a pattern not compiled, and for an exhaustive search that would
    /// need more memory than `maximumExhaustiveBits`.
    private let expression: NSRegularExpression

    /// The largest (instructions × input bytes) the exhaustive search takes on: 128 KiB of bits,
    /// and as many backtracking frames at the most (40 MB). Past it ICU searches, as before.
    static let maximumExhaustiveBits = 1 << 20

    /// Compiles `source`; the generator has already checked that it compiles (with ICU, after
    /// `icuSource`). One that does not matches nothing.
    public init(_ source: String) {
        self.source = source
        expression = (try? NSRegularExpression(pattern: Pattern.icuSource(source)))
            ?? NSRegularExpression.matchingNothing
        do {
            let node = try PatternSyntax.parse(source)
            programs = (try PatternProgram(node, runs: true), try PatternProgram(node, runs: false))
            notCompiled = nil
        } catch {
            programs = nil
            notCompiled = error.description
        }
    }

    /// Whether the pattern is matched in Swift rather than by ICU.
    public var isCompiled: Bool { programs != nil }

    /// `source` for ICU: ECMA-262's `$` is the end of the input, but ICU's also matches before a
    /// final line break (so `^[a-z]+$` would take `"abc\n"`); every `$` outside a character class
    /// and not escaped becomes `\z`.
    public static func icuSource(_ source: String) -> String {
        rewritten(source) { token, inClass in token == "$" && !inClass ? #"\z"# : nil }
    }

    /// `source` with each token (a character, or `\` and the character it escapes) replaced by
    /// what `replacement` gives for it, if anything; `inClass` says whether it is inside `[…]`.
    static func rewritten(_ source: String, _ replacement: (_ token: String, _ inClass: Bool) -> String?) -> String {
        var result = ""
        var isEscaped = false
        var inClass = false
        for character in source {
            if !isEscaped && character == "\\" {
                isEscaped = true
                continue
            }
            let token = isEscaped ? "\\\(character)" : String(character)
            isEscaped = false
            result += replacement(token, inClass) ?? token
            if token == "[" { inClass = true } else if token == "]" { inClass = false }
        }
        return isEscaped ? result + "\\" : result
    }

    /// Whether `text` contains a match.
    public func matches(_ text: String) -> Bool {
        guard let programs else { return expressionMatches(text) }
        var text = text
        let found = text.withUTF8 { bytes -> Bool? in
            // Linear patterns finish well within the budget; past it, the search starts over
            // with memoized states, so no input makes it exponential.
            if let found = PatternMatcher.search(programs.fast, in: bytes, steps: 256 + 16 * bytes.count) {
                return found
            }
            guard programs.exhaustive.instructions.count * (bytes.count + 1) <= Self.maximumExhaustiveBits else {
                return nil
            }
            return PatternMatcher.search(programs.exhaustive, in: bytes, steps: nil)
        }
        return found ?? expressionMatches(text)
    }

    /// Whether the exhaustive search alone finds a match (nil: not compiled), for tests.
    func matchesExhaustively(_ text: String) -> Bool? {
        guard let programs else { return nil }
        var text = text
        return text.withUTF8 { PatternMatcher.search(programs.exhaustive, in: $0, steps: nil) }
    }

    /// Whether ICU finds a match: for the patterns not compiled, and for tests to compare with.
    func expressionMatches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

extension NSRegularExpression {
    /// An expression that never matches, for a pattern that did not compile.
    fileprivate static let matchingNothing = try! NSRegularExpression(pattern: "(?!)")
}
