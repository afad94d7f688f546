import Foundation
import Testing
@testable import RouteGenCore

/// What RouteGen generates from the real `api.yaml`, compared byte for byte with the snapshot
/// checked in under `Generated/`, so that a generator change shows its effect in review.
///
/// `Spec.swift` is not in the snapshot: it only embeds the text of `api.yaml` itself.
/// `Generated/` is excluded from this target in Package.swift, so the snapshot is never compiled.
@Suite struct GeneratedSnapshotTests {
    /// The generated files the snapshot holds: all but `Spec.swift`.
    static let snapshotFileNames = RouteGenerator.fileNames.filter { $0 != "Spec.swift" }

    /// `Tests/RouteGenTests/Generated`.
    static let snapshotDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Generated")

    static let refreshHint = """
        If the change is intended, run scripts/update-generated-snapshot and commit \
        Tests/RouteGenTests/Generated/.
        """

    @Test(arguments: snapshotFileNames)
    func generatedFileMatchesTheSnapshot(_ name: String) throws {
        let document = try SpecLoader.load(path: realSpecPath)
        let generated = try #require(RouteGenerator.generate(document).first { $0.name == name })
        let path = Self.snapshotDirectory.appendingPathComponent(name).path
        guard let snapshot = FileManager.default.contents(atPath: path) else {
            Issue.record("Generated/\(name) is missing from the snapshot. \(Self.refreshHint)")
            return
        }
        if let difference = firstDifference(snapshot: Array(snapshot), generated: Array(generated.contents.utf8)) {
            Issue.record("""
                Generated/\(name) differs from what RouteGen generates from api.yaml, first at line \(difference.line):
                  snapshot:  \(difference.snapshot)
                  generated: \(difference.generated)
                \(Self.refreshHint)
                """)
        }
    }

    @Test func snapshotHoldsNoOtherSwiftFile() throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: Self.snapshotDirectory.path)
            .filter { $0.hasSuffix(".swift") }
        #expect(Set(present) == Set(Self.snapshotFileNames), "\(Self.refreshHint)")
    }

    @Test func firstDifferenceNamesTheLineAndBothSides() {
        let same = Array("a\nb\n".utf8)
        #expect(firstDifference(snapshot: same, generated: same) == nil)
        #expect(firstDifference(snapshot: Array("a\nb\nc\n".utf8), generated: Array("a\nB\nc\n".utf8))
            == SnapshotDifference(line: 2, snapshot: "b", generated: "B"))
        #expect(firstDifference(snapshot: Array("a\n".utf8), generated: Array("a\nb\n".utf8))
            == SnapshotDifference(line: 2, snapshot: "(end of file)", generated: "b"))
        #expect(firstDifference(snapshot: Array("a\n".utf8), generated: Array("a".utf8))
            == SnapshotDifference(line: 1, snapshot: "a", generated: "a (no newline at end of file)"))
        // Bytes, not Strings: "é" precomposed and decomposed are equal Strings but not equal bytes.
        #expect(firstDifference(snapshot: Array("\u{E9}\n".utf8), generated: Array("e\u{301}\n".utf8))?.line == 1)
    }
}

/// The first line at which two files differ, 1-based, with both lines ("(end of file)" for the
/// side that ended).
struct SnapshotDifference: Equatable {
    var line: Int
    var snapshot: String
    var generated: String
}

/// Compares bytes line by line, each line with its `\n`, so a stray `\r`, a missing final newline
/// or a different Unicode normalization all count as differences.
func firstDifference(snapshot: [UInt8], generated: [UInt8]) -> SnapshotDifference? {
    let left = lines(snapshot), right = lines(generated)
    for index in 0..<max(left.count, right.count) {
        let a = index < left.count ? left[index] : nil
        let b = index < right.count ? right[index] : nil
        if a != b {
            return SnapshotDifference(line: index + 1, snapshot: shown(a), generated: shown(b))
        }
    }
    return nil
}

/// `bytes` cut after every `\n`; the last line lacks one when the file does not end with it.
private func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
    var result: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
        result.append(bytes[start...index])
        start = index + 1
    }
    if start < bytes.endIndex { result.append(bytes[start...]) }
    return result
}

/// A line as the failure shows it: without its `\n`, or saying that it has none.
private func shown(_ line: ArraySlice<UInt8>?) -> String {
    guard let line else { return "(end of file)" }
    if line.last == UInt8(ascii: "\n") { return String(decoding: line.dropLast(), as: UTF8.self) }
    return String(decoding: line, as: UTF8.self) + " (no newline at end of file)"
}
