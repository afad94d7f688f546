import Testing
@testable import APIRuntime

@Suite struct PatternSyntaxTests {
    private static func set(_ characters: String) -> ScalarSet {
        ScalarSet(characters.unicodeScalars.map { $0.value...$0.value })
    }

    private static func one(_ character: Unicode.Scalar) -> PatternNode {
        .scalar(ScalarSet(scalar: character.value))
    }

    @Test func readsEachConstruct() throws {
        #expect(try PatternSyntax.parse("a") == Self.one("a"))
        #expect(try PatternSyntax.parse("^a$") == .sequence([.start, Self.one("a"), .end]))
        #expect(try PatternSyntax.parse("a|bc") == .alternation([Self.one("a"), .sequence([Self.one("b"), Self.one("c")])]))
        #expect(try PatternSyntax.parse("(a)(?:b)(?<name>c)") == .sequence([Self.one("a"), Self.one("b"), Self.one("c")]))
        #expect(try PatternSyntax.parse("a*") == .repetition(Self.one("a"), min: 0, max: nil, greedy: true))
        #expect(try PatternSyntax.parse("a+?") == .repetition(Self.one("a"), min: 1, max: nil, greedy: false))
        #expect(try PatternSyntax.parse("a??") == .repetition(Self.one("a"), min: 0, max: 1, greedy: false))
        #expect(try PatternSyntax.parse("a{3}") == .repetition(Self.one("a"), min: 3, max: 3, greedy: true))
        #expect(try PatternSyntax.parse("a{3,}") == .repetition(Self.one("a"), min: 3, max: nil, greedy: true))
        #expect(try PatternSyntax.parse("a{1,18}") == .repetition(Self.one("a"), min: 1, max: 18, greedy: true))
        #expect(try PatternSyntax.parse("(?=a)(?!b)") == .sequence([.lookahead(Self.one("a"), negated: false), .lookahead(Self.one("b"), negated: true)]))
        #expect(try PatternSyntax.parse(".") == .scalar(.dot))
    }

    @Test func readsEscapes() throws {
        #expect(try PatternSyntax.parse(#"\d\D"#) == .sequence([.scalar(.digit), .scalar(ScalarSet.digit.inverted)]))
        #expect(try PatternSyntax.parse(#"\w\s\S"#) == .sequence([.scalar(.word), .scalar(.space), .scalar(ScalarSet.space.inverted)]))
        #expect(try PatternSyntax.parse(#"\t\n\f\r"#) == .sequence([Self.one("\t"), Self.one("\n"), Self.one("\u{C}"), Self.one("\r")]))
        #expect(try PatternSyntax.parse(#"\u00e9\x41\.\/\-"#) == .sequence([Self.one("é"), Self.one("A"), Self.one("."), Self.one("/"), Self.one("-")]))
        #expect(try PatternSyntax.parse(#"\ud83d\ude00"#) == Self.one("😀"))
    }

    @Test func readsClasses() throws {
        #expect(try PatternSyntax.parse("[A-Za-z0-9_-]") == .scalar(ScalarSet([0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x5F...0x5F, 0x2D...0x2D])))
        #expect(try PatternSyntax.parse("[-a]") == .scalar(Self.set("-a")))
        #expect(try PatternSyntax.parse("[^\\u0000]") == .scalar(ScalarSet([1...ScalarSet.maximum])))
        #expect(try PatternSyntax.parse(#"[\d\s.$^]"#) == .scalar(ScalarSet.digit.union(.space).union(Self.set(".$^"))))
        #expect(try PatternSyntax.parse(#"[\u2000-\u200b\]]"#) == .scalar(ScalarSet([0x2000...0x200B, 0x5D...0x5D])))
        #expect(ScalarSet([0...5, 3...9, 10...12]).ranges == [0...12])
        #expect(ScalarSet([5...9]).inverted.ranges == [0...4, 10...ScalarSet.maximum])
    }

    /// What keeps ICU's engine: constructs ICU reads otherwise, or that need more than a program
    /// without captures.
    @Test(arguments: [
        #"(a)\1"#, #"\bword"#, #"\v"#, #"\0"#, #"\p{L}"#, #"(?<=a)b"#, #"(?<!a)b"#, "(?i)a", "[[a]]", "[a&&b]",
        "[a--b]", "[a-z-0]", "a{2", "a}", "]", "*a", "a**", "a*+", "^*", "(?=a)+", "[]a]", "[^]", "[b-a]",
        "a{3,2}", "a{1001}", #"[\w-z]"#, #"\ud800"#, #"\u12"#, "(a", "a)", "\\", "[a",
        "(((((((((a{1000}){2}){2}){2}){2}){2}){2}){2}){2})",
    ])
    func refusesAndFallsBack(_ source: String) throws {
        let pattern = Pattern(source)
        #expect(!pattern.isCompiled, "\(source) compiled")
        #expect(pattern.notCompiled != nil)
    }

    @Test func compilesEveryPatternOfTheSpec() throws {
        for source in try SpecPatterns.inAPIYAML() {
            let pattern = Pattern(source)
            #expect(pattern.isCompiled, "\(source): \(pattern.notCompiled ?? "")")
        }
    }
}
