import Testing
@testable import RouteGenCore

@Suite struct YAMLLoaderTests {
    @Test func nodesCarryOneBasedLinesAndColumns() throws {
        let root = try YAMLLoader.load("a: 1\nb:\n  - x\n  - {c: d}\n")
        #expect(root.location == SourceLocation(line: 1, column: 1))
        let pairs = try #require(root.pairs)
        #expect(pairs.map(\.key) == ["a", "b"])
        #expect(pairs[1].keyLocation == SourceLocation(line: 2, column: 1))
        let items = try #require(root["b"]?.items)
        #expect(items[0].location == SourceLocation(line: 3, column: 5))
        #expect(items[1]["c"]?.location == SourceLocation(line: 4, column: 9))
    }

    @Test func plainAndQuotedScalarsKeepTheirMeaning() throws {
        let root = try YAMLLoader.load("n: 12\ns: '12'\nb: true\nz: ~\nf: 1.5\n")
        #expect(JSON(try #require(root["n"])) == .integer(12))
        #expect(JSON(try #require(root["s"])) == .string("12"))
        #expect(JSON(try #require(root["b"])) == .bool(true))
        #expect(JSON(try #require(root["z"])) == .null)
        #expect(JSON(try #require(root["f"])) == .number(1.5))
    }

    @Test func syntaxErrorsCarryLibyamlsProblemAndMark() {
        #expect(throws: YAMLLoader.Failure.self) { try YAMLLoader.load("a: [1, 2\nb: 3\n") }
        do {
            _ = try YAMLLoader.load("a: b\n c: d\n")
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.location == SourceLocation(line: 2, column: 3))
            #expect(error.message.contains("mapping values are not allowed"))
        }
    }

    @Test func duplicateKeysAreRejectedAtTheSecondKey() {
        do {
            _ = try YAMLLoader.load("top:\n  a: 1\n  b: 2\n  a: 3\n")
            Issue.record("expected a duplicate key error")
        } catch {
            #expect(error == .duplicateKey("a", at: SourceLocation(line: 4, column: 3), firstAt: SourceLocation(line: 2, column: 3)))
        }
    }

    @Test func anAliasStandsForItsAnchorsNodeAndMergeKeysMerge() throws {
        let root = try YAMLLoader.load("a: &base {x: 1, y: 2}\nb: *base\nc:\n  <<: *base\n  y: 3\n")
        #expect(root["b"] == root["a"])
        #expect(root["c"]?.pairs?.map(\.key) == ["y", "x"])
        #expect(root["c"]?["y"]?.scalar?.text == "3")
        #expect(root["c"]?["x"]?.scalar?.text == "1")
    }

    @Test func anAliasWithoutAnAnchorIsAnError() {
        #expect(throws: YAMLLoader.Failure.unknownAlias("nope", at: SourceLocation(line: 1, column: 4))) {
            try YAMLLoader.load("a: *nope\n")
        }
    }

    /// Nine levels of ten aliases each would be 10^9 nodes: refused at once, not expanded.
    @Test func aBillionLaughsIsAnErrorNotAHang() {
        var text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            text += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let started = ContinuousClock.now
        do {
            _ = try YAMLLoader.load(text)
            Issue.record("a billion laughs loaded")
        } catch {
            #expect(error.message.hasPrefix("aliases make the document larger than 1000000 nodes"))
            #expect(error.location.line == 6)
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func emptyTextAndSeveralDocumentsAreRejected() {
        #expect(throws: YAMLLoader.Failure.documentCount(0)) { try YAMLLoader.load("") }
        #expect(throws: YAMLLoader.Failure.documentCount(2)) { try YAMLLoader.load("a: 1\n---\nb: 2\n") }
    }
}
