/// A pattern's structure, for the subset of ECMA-262 regular expressions that API specs use.
/// Groups leave no trace: a pattern is only ever asked whether it matches.
indirect enum PatternNode: Equatable, Sendable {
    /// One scalar from the set.
    case scalar(ScalarSet)
    case sequence([PatternNode])
    case alternation([PatternNode])
    /// `max` nil: no upper bound. `greedy` false: `*?`, `+?`, `??`, `{n,m}?`.
    case repetition(PatternNode, min: Int, max: Int?, greedy: Bool)
    /// `^`: the start of the input (JSON Schema patterns have no multiline flag).
    case start
    /// `$`: the end of the input.
    case end
    /// `(?=…)` or `(?!…)`.
    case lookahead(PatternNode, negated: Bool)
}

/// Reads a pattern's source into a `PatternNode`, or says which construct it does not take.
///
/// Whatever it refuses keeps ICU's engine (`Pattern` falls back), so it refuses everything where
/// ECMA-262 and ICU might read the same text differently and this subset has no use for it:
/// backreferences, `\b`, `\v`, `\0`, `\p{…}`, lookbehind, `[` or `&&` or `--` inside a class,
/// a stray `{`, `}` or `]`, possessive quantifiers, quantified assertions.
struct PatternSyntax {
    /// Why a pattern is not compiled; the offset counts Unicode scalars of the source.
    struct Unsupported: Error, Equatable, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "at \(offset): \(reason)" }
    }

    /// The largest count in a `{n,m}` quantifier this reads.
    static let maximumCount = 1000

    private let scalars: [UInt32]
    private var index = 0

    private init(_ source: String) {
        scalars = source.unicodeScalars.map(\.value)
    }

    /// The structure of `source`, or why it is not compiled.
    static func parse(_ source: String) throws(Unsupported) -> PatternNode {
        var parser = PatternSyntax(source)
        let node = try parser.alternation()
        if parser.index < parser.scalars.count { throw parser.unsupported("unbalanced ')'") }
        return node
    }

    private func unsupported(_ reason: String) -> Unsupported {
        Unsupported(offset: index, reason: reason)
    }

    private var peek: UInt32? { index < scalars.count ? scalars[index] : nil }

    private func peek(_ ahead: Int) -> UInt32? {
        index + ahead < scalars.count ? scalars[index + ahead] : nil
    }

    private mutating func take(_ character: Character) -> Bool {
        guard peek == character.unicodeScalars.first!.value else { return false }
        index += 1
        return true
    }

    private mutating func alternation() throws(Unsupported) -> PatternNode {
        var branches = [try sequence()]
        while take("|") { branches.append(try sequence()) }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func sequence() throws(Unsupported) -> PatternNode {
        var items: [PatternNode] = []
        while let next = peek, next != ascii("|"), next != ascii(")") {
            items.append(try term())
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func term() throws(Unsupported) -> PatternNode {
        let (atom, isQuantifiable) = try self.atom()
        guard let (min, max) = try quantifier() else { return atom }
        guard isQuantifiable else { throw unsupported("a quantified assertion") }
        let greedy = !take("?")
        if let next = peek, [ascii("*"), ascii("+"), ascii("?"), ascii("{")].contains(next) {
            throw unsupported("a quantifier after a quantifier (possessive in ICU)")
        }
        return .repetition(atom, min: min, max: max, greedy: greedy)
    }

    private mutating func quantifier() throws(Unsupported) -> (Int, Int?)? {
        if take("*") { return (0, nil) }
        if take("+") { return (1, nil) }
        if take("?") { return (0, 1) }
        guard take("{") else { return nil }
        guard let min = number() else { throw unsupported("a '{' that starts no quantifier") }
        var max: Int? = min
        if take(",") { max = number() }
        guard take("}") else { throw unsupported("a '{' that starts no quantifier") }
        if let max, max < min { throw unsupported("a quantifier {\(min),\(max)} out of order") }
        return (min, max)
    }

    private mutating func number() -> Int? {
        var value = 0
        let start = index
        while let next = peek, next >= ascii("0"), next <= ascii("9") {
            value = Swift.min(value * 10 + Int(next - ascii("0")), Self.maximumCount + 1)
            index += 1
        }
        return index == start || value > Self.maximumCount ? nil : value
    }

    private mutating func atom() throws(Unsupported) -> (PatternNode, isQuantifiable: Bool) {
        let first = scalars[index]
        index += 1
        switch first {
        case ascii("^"): return (.start, false)
        case ascii("$"): return (.end, false)
        case ascii("."): return (.scalar(.dot), true)
        case ascii("["): return (.scalar(try characterClass()), true)
        case ascii("\\"): return (.scalar(try escape(inClass: false)), true)
        case ascii("("): return try group()
        case ascii("*"), ascii("+"), ascii("?"), ascii("{"), ascii("}"), ascii("]"):
            index -= 1
            throw unsupported("a '\(Unicode.Scalar(first)!)' with nothing to repeat or open")
        default: return (.scalar(ScalarSet(scalar: first)), true)
        }
    }

    private mutating func group() throws(Unsupported) -> (PatternNode, isQuantifiable: Bool) {
        var lookahead: Bool?
        if take("?") {
            if take(":") {
            } else if take("=") {
                lookahead = false
            } else if take("!") {
                lookahead = true
            } else if peek == ascii("<"), let next = peek(1), isLetter(next) {
                // A named group: ICU and ECMA-262 agree, and names are not referred to here.
                index += 1
                while let next = peek, isLetter(next) || (next >= ascii("0") && next <= ascii("9")) { index += 1 }
                guard take(">") else { throw unsupported("a group name") }
            } else {
                throw unsupported("a '(?' group other than '(?:', '(?=', '(?!' and '(?<name>'")
            }
        }
        let inner = try alternation()
        guard take(")") else { throw unsupported("an unclosed '('") }
        if let negated = lookahead { return (.lookahead(inner, negated: negated), false) }
        return (inner, true)
    }

    private mutating func characterClass() throws(Unsupported) -> ScalarSet {
        let negated = take("^")
        if peek == ascii("]") { throw unsupported("a class that starts with ']'") }
        var ranges: [ClosedRange<UInt32>] = []
        while true {
            guard let next = peek else { throw unsupported("an unclosed '['") }
            if next == ascii("]") { index += 1; break }
            let low = try classAtom()
            guard peek == ascii("-"), let after = peek(1), after != ascii("]") else {
                ranges += low.ranges
                continue
            }
            index += 1
            let high = try classAtom()
            guard let lower = single(low), let upper = single(high) else {
                throw unsupported("a range with a class escape at an end")
            }
            guard lower <= upper else { throw unsupported("a range out of order") }
            ranges.append(lower...upper)
            if peek == ascii("-"), peek(1) != ascii("]") {
                throw unsupported("a '-' right after a range")
            }
        }
        let set = ScalarSet(ranges)
        return negated ? set.inverted : set
    }

    private func single(_ set: ScalarSet) -> UInt32? {
        set.ranges.count == 1 && set.ranges[0].count == 1 ? set.ranges[0].lowerBound : nil
    }

    private mutating func classAtom() throws(Unsupported) -> ScalarSet {
        let first = scalars[index]
        if first == ascii("["), index + 1 < scalars.count {
            throw unsupported("a '[' inside a class (a nested set in ICU)")
        }
        if (first == ascii("&") && peek(1) == ascii("&")) || (first == ascii("-") && peek(1) == ascii("-")) {
            throw unsupported("'&&' or '--' inside a class (set operations in ICU)")
        }
        index += 1
        return first == ascii("\\") ? try escape(inClass: true) : ScalarSet(scalar: first)
    }

    /// The escape after a `\`.
    private mutating func escape(inClass: Bool) throws(Unsupported) -> ScalarSet {
        guard let letter = peek else { throw unsupported("a '\\' at the end") }
        index += 1
        switch letter {
        case ascii("d"): return .digit
        case ascii("D"): return ScalarSet.digit.inverted
        case ascii("w"): return .word
        case ascii("W"): return ScalarSet.word.inverted
        case ascii("s"): return .space
        case ascii("S"): return ScalarSet.space.inverted
        case ascii("t"): return ScalarSet(scalar: 0x09)
        case ascii("n"): return ScalarSet(scalar: 0x0A)
        case ascii("f"): return ScalarSet(scalar: 0x0C)
        case ascii("r"): return ScalarSet(scalar: 0x0D)
        case ascii("x"): return ScalarSet(scalar: try hex(digits: 2))
        case ascii("u"): return ScalarSet(scalar: try unicodeEscape())
        default:
            // Any ASCII punctuation stands for itself in both engines; letters and digits name
            // something (`\b`, `\v`, `\0`, `\1`, `\p`), and ICU reads some of them otherwise.
            guard letter < 128, !isLetter(letter), !(letter >= ascii("0") && letter <= ascii("9")) else {
                index -= 1
                throw unsupported("the escape '\\\(Unicode.Scalar(letter)!)'")
            }
            return ScalarSet(scalar: letter)
        }
    }

    /// `\uXXXX`, a surrogate pair of two of them read as the one scalar they spell.
    private mutating func unicodeEscape() throws(Unsupported) -> UInt32 {
        let value = try hex(digits: 4)
        guard (0xD800...0xDFFF).contains(value) else { return value }
        guard value < 0xDC00, peek == ascii("\\"), peek(1) == ascii("u") else {
            throw unsupported("a lone surrogate escape")
        }
        index += 2
        let low = try hex(digits: 4)
        guard (0xDC00...0xDFFF).contains(low) else { throw unsupported("a lone surrogate escape") }
        return 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
    }

    private mutating func hex(digits: Int) throws(Unsupported) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let next = peek, let digit = hexValue(next) else {
                throw unsupported("an escape without \(digits) hex digits")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    private func hexValue(_ scalar: UInt32) -> UInt32? {
        switch scalar {
        case ascii("0")...ascii("9"): scalar - ascii("0")
        case ascii("a")...ascii("f"): scalar - ascii("a") + 10
        case ascii("A")...ascii("F"): scalar - ascii("A") + 10
        default: nil
        }
    }

    private func isLetter(_ scalar: UInt32) -> Bool {
        (scalar >= ascii("a") && scalar <= ascii("z")) || (scalar >= ascii("A") && scalar <= ascii("Z"))
    }
}

/// The value of an ASCII character, for comparing with a pattern's scalars.
@inline(__always)
private func ascii(_ character: Unicode.Scalar) -> UInt32 {
    character.value
}
