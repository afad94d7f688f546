import Foundation
import Testing
@testable import RouteGenCore

/// What RouteGen generates from the real `api.yaml` and from the Bookshelf example's spec,
/// compared byte for byte with the snapshots checked in under `Generated/` (the example's under
/// `Generated/Bookshelf/`), so that a generator change shows its effect in review.
///
/// `Spec.swift` is not in the snapshot: it only embeds the text of the spec itself.
/// `Generated/` is excluded from this target in Package.swift, so the snapshot is never compiled.
@Suite struct GeneratedSnapshotTests {
    /// The generated files the snapshot holds: all but `Spec.swift`.
    static let snapshotFileNames = RouteGenerator.fileNames.filter { $0 != "Spec.swift" }

    /// `Tests/RouteGenTests/Generated`.
    static let snapshotDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Generated")

    /// A spec with a snapshot: the spec's path and the snapshot's folder.
    struct Snapshot: Sendable, CustomTestStringConvertible {
        var specPath: String
        var directory: URL
        var testDescription: String { directory.lastPathComponent }
    }

    /// `api.yaml` and the Bookshelf example's spec (`Examples/Bookshelf/Sources/BookshelfAPI/openapi.yaml`).
    static let snapshots = [
        Snapshot(specPath: realSpecPath, directory: snapshotDirectory),
        Snapshot(
            specPath: URL(fileURLWithPath: realSpecPath).deletingLastPathComponent()
                .appendingPathComponent("Examples/Bookshelf/Sources/BookshelfAPI/openapi.yaml").path,
            directory: snapshotDirectory.appendingPathComponent("Bookshelf")),
    ]

    static let refreshHint = """
        If the change is intended, run scripts/update-generated-snapshot and commit \
        Tests/RouteGenTests/Generated/.
        """

    @Test(arguments: snapshots, snapshotFileNames)
    func generatedFileMatchesTheSnapshot(_ snapshot: Snapshot, _ name: String) throws {
        let document = try SpecLoader.load(path: snapshot.specPath)
        let generated = try #require(RouteGenerator.generate(document, specName: URL(fileURLWithPath: snapshot.specPath).lastPathComponent).first { $0.name == name })
        let path = snapshot.directory.appendingPathComponent(name).path
        guard let expected = FileManager.default.contents(atPath: path) else {
            Issue.record("\(path) is missing from the snapshot. \(Self.refreshHint)")
            return
        }
        if let difference = firstDifference(snapshot: Array(expected), generated: Array(generated.contents.utf8)) {
            Issue.record("""
                \(snapshot.testDescription)/\(name) differs from what RouteGen generates from \(snapshot.specPath), first at line \(difference.line):
                  snapshot:  \(difference.snapshot)
                  generated: \(difference.generated)
                \(Self.refreshHint)
                """)
        }
    }

    @Test(arguments: snapshots)
    func snapshotHoldsNoOtherSwiftFile(_ snapshot: Snapshot) throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: snapshot.directory.path)
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
