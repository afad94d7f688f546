import Foundation
import Testing
@testable import APIRuntime

/// The patterns that specs hold: api.yaml's own, read from the file, and those of the public
/// corpus when it is there (its 12 documents hold none today, which the test states).
enum SpecPatterns {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The values of every `pattern:` key in a YAML document, single-quoted, double-quoted or plain.
    static func patterns(inYAML text: String) -> [String] {
        var found: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " || $0 == "-" }
            guard trimmed.hasPrefix("pattern: ") else { continue }
            let value = trimmed.dropFirst("pattern: ".count)
            if value.hasPrefix("'"), value.hasSuffix("'") {
                found.append(value.dropFirst().dropLast().replacingOccurrences(of: "''", with: "'"))
            } else if value.hasPrefix("\""), value.hasSuffix("\"") {
                let decoded = try? JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
                if let decoded = decoded as? String { found.append(decoded) }
            } else {
                found.append(String(value))
            }
        }
        return Array(Set(found)).sorted()
    }

    static func inAPIYAML() throws -> [String] {
        try patterns(inYAML: String(contentsOf: packageRoot.appendingPathComponent("api.yaml"), encoding: .utf8))
    }

    static func inCorpus() -> [String] {
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/openapi-corpus")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.flatMap { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map(patterns(inYAML:)) ?? []
        }
    }

    /// Patterns of the kinds public specs carry (dates, codes, e-mail shapes, versions, colours,
    /// passwords), for the constructs api.yaml does not use.
    static let common = [
        #"^\d{4}-\d{2}-\d{2}$"#, #"^[a-zA-Z0-9_.-]+$"#, #"^#[0-9a-fA-F]{6}$"#, "^[A-Z]{2}$", #"^(\+|-)?\d+$"#,
        "^https?://", #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, "^.{1,255}$", "[a-z]+", "^(GET|POST|PUT|DELETE)$",
        #"^v\d+(\.\d+){0,2}$"#, #"^([01]?\d|2[0-3]):[0-5]\d$"#, "^a.*?b$", #"^(?=.*\d)(?=.*[a-z]).{8,}$"#,
        #"\S"#, #"^\w+(\s\w+)*$"#, #"^[\D]{2,3}\W?$"#, "(ab|a)(bc|c)?d", "^(a|ab)*c", "^(a*)*b$", "x(?!y)",
        #"^[\u00e9\u4e00-\u9fff\ud83d\ude00]+$"#, "^(?:[a-c]{2,4}?)+$", "^$", "ab|", "^(?:a{0,3}b){2,}$",
    ]
}

@Suite struct PatternDifferentialTests {
    /// A small seeded generator (SplitMix64), so a failure replays.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// `source` for ICU with ECMA-262's meaning of `\d`, `\w`, `\s` and `.` spelled out (ICU's
    /// are Unicode), so ICU can judge the compiled matcher on any input.
    static func ecmaSpelledOut(_ source: String) -> String {
        let space = #"\t\n\u000b\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"#
        let spelled: [Character: String] = [
            "d": "[0-9]", "D": "[^0-9]", "w": "[A-Za-z0-9_]", "W": "[^A-Za-z0-9_]", "s": "[\(space)]", "S": "[^\(space)]",
        ]
        return Pattern.rewritten(Pattern.icuSource(source)) { token, inClass in
            if token.count == 2, let set = spelled[token.last!] { return set }
            return token == "." && !inClass ? #"[^\n\r\u2028\u2029]"# : nil
        }
    }

    /// Values at and around the edges of every class in `node`, and a few from inside.
    static func edges(of node: PatternNode, into values: inout Set<UInt32>) {
        switch node {
        case .scalar(let set):
            for range in set.ranges.prefix(64) {
                for value in [range.lowerBound &- 1, range.lowerBound, range.upperBound, range.upperBound &+ 1] {
                    values.insert(value)
                }
            }
        case .sequence(let items), .alternation(let items):
            for item in items { edges(of: item, into: &values) }
        case .repetition(let body, _, _, _), .lookahead(let body, _):
            edges(of: body, into: &values)
        case .start, .end:
            break
        }
    }

    static func valid(_ value: UInt32) -> Unicode.Scalar? {
        Unicode.Scalar(value)
    }

    /// A string the pattern might match: each class gives one of its values, each repetition a
    /// count around its bounds.
    static func sample(_ node: PatternNode, _ random: inout Random, into text: inout [Unicode.Scalar]) {
        switch node {
        case .scalar(let set):
            let range = set.ranges.randomElement(using: &random)!
            let pick = [range.lowerBound, range.upperBound, UInt32.random(in: range, using: &random)].randomElement(using: &random)!
            text.append(valid(pick) ?? "\u{E000}")
        case .sequence(let items):
            for item in items { sample(item, &random, into: &text) }
        case .alternation(let branches):
            sample(branches.randomElement(using: &random)!, &random, into: &text)
        case .repetition(let body, let min, let max, _):
            let upper = Swift.min(max ?? min + 6, min + 70)
            let count = [min, upper, Int.random(in: min...upper, using: &random)].randomElement(using: &random)!
            for _ in 0..<count { sample(body, &random, into: &text) }
        case .lookahead, .start, .end:
            break
        }
    }

    /// Inputs for `source`: samples, samples with one edit at a class edge, and random strings.
    static func inputs(for source: String, count: Int, seed: UInt64) throws -> [String] {
        let node = try PatternSyntax.parse(source)
        var edgeValues: Set<UInt32> = [0x0A, 0x0D, 0x20, 0x41, 0x5F, 0x85, 0xE9, 0x0663, 0x2028, 0xFEFF, 0x1F600]
        edges(of: node, into: &edgeValues)
        let alphabet = edgeValues.compactMap(valid).sorted { $0.value < $1.value }
        var random = Random(state: seed)
        var result: [String] = ["", "\n"]
        for index in 0..<count {
            var text: [Unicode.Scalar] = []
            if index % 4 == 3 {
                for _ in 0..<Int.random(in: 0...80, using: &random) { text.append(alphabet.randomElement(using: &random)!) }
            } else {
                sample(node, &random, into: &text)
                if index % 4 != 0 {
                    let at = Int.random(in: 0...text.count, using: &random)
                    let edit = alphabet.randomElement(using: &random)!
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0 where at < text.count: text[at] = edit
                    case 1 where at < text.count: text.remove(at: at)
                    case 2: text.insert(edit, at: at)
                    default: text.append(edit)
                    }
                }
            }
            var string = ""
            string.unicodeScalars.append(contentsOf: text)
            result.append(string)
        }
        return result
    }

    static func compare(_ source: String, count: Int) throws {
        let pattern = Pattern(source)
        try #require(pattern.isCompiled, "\(source): \(pattern.notCompiled ?? "")")
        let judge = try NSRegularExpression(pattern: ecmaSpelledOut(source))
        var matched = 0
        var mismatches: [String] = []
        for text in try inputs(for: source, count: count, seed: UInt64(truncatingIfNeeded: source.utf8.count * 7919 + 1)) {
            let expected = judge.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
            if expected { matched += 1 }
            if pattern.matches(text) != expected || pattern.matchesExhaustively(text) != expected {
                mismatches.append("\(text.debugDescription) (ICU: \(expected))")
            }
        }
        #expect(mismatches.isEmpty, "\(source): \(mismatches.prefix(5).joined(separator: ", "))")
        // Inputs that never match would prove little.
        #expect(matched > 0 || source == "x(?!y)", "\(source): no input matched")
    }

    @Test func agreesWithICUOnTheSpecsPatterns() throws {
        let patterns = try SpecPatterns.inAPIYAML()
        #expect(patterns.count >= 8)
        for source in patterns { try Self.compare(source, count: 1500) }
    }

    @Test func theCorpusHoldsNoPatternsToday() {
        // When a document with patterns joins the corpus, this says to compare them too.
        let patterns = SpecPatterns.inCorpus()
        #expect(patterns.isEmpty, "compare these: \(patterns)")
        for source in patterns { try? Self.compare(source, count: 2000) }
    }

    @Test(arguments: SpecPatterns.common)
    func agreesWithICUOnCommonPatterns(_ source: String) throws {
        try Self.compare(source, count: 500)
    }

    /// Where ECMA-262 (so JSON Schema) and ICU differ, the compiled pattern says what ECMA-262 says.
    @Test func classEscapesMeanWhatECMAScriptSays() {
        #expect(!Pattern(#"^\d$"#).matches("٣"))
        #expect(Pattern(#"^\d$"#).expressionMatches("٣"))
        #expect(!Pattern(#"^\w$"#).matches("é"))
        #expect(Pattern(#"^\s$"#).matches("\u{FEFF}"))
        #expect(!Pattern(#"^\s$"#).matches("\u{85}"))
        #expect(Pattern("^.$").matches("\u{85}"))
        #expect(!Pattern("^.$").matches("\u{2028}"))
        #expect(Pattern("^.$").matches("😀"))
        // ICU refuses the empty pattern (so it matched nothing); ECMA-262's matches everything.
        #expect(Pattern("").matches("anything"))
    }

    /// A pattern that backtracks exponentially in a plain backtracker answers at once: the fast
    /// search runs out of steps and the memoized one takes over.
    @Test func nestedQuantifiersStayLinear() {
        let text = String(repeating: "a", count: 5000) + "!"
        let started = ContinuousClock.now
        #expect(!Pattern("^(a+)+$").matches(text))
        #expect(!Pattern("^(a|aa)*$").matches(text))
        #expect(!Pattern("(x+x+)+y").matches(String(repeating: "x", count: 2000)))
        #expect(Pattern("^(a+)+!$").matches(text))
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
