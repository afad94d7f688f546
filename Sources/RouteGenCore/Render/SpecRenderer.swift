/// Renders the spec's own text into the binary, so a server can serve the document it was built from.
enum SpecRenderer {
    static func render(_ document: APIDocument) -> [SwiftCode] {
        let text = document.sourceText.replacingCarriageReturns()
        let hashes = String(repeating: "#", count: longestHashRun(in: text) + 1)
        // The newline before the closing delimiter is not part of the string, so the text comes back exactly.
        let literal = "\(hashes)\"\"\"\n" + text + "\n\"\"\"\(hashes)"
        return [
            .doc("The spec this code was generated from, as it was at build time."),
            .block("public enum APISpec", [
                .line("public static let title = \(SwiftNames.literal(document.title))"),
                .line("public static let version = \(SwiftNames.literal(document.version))"),
                .blank,
                .doc("The YAML text of the spec."),
                .line("public static let yaml: String ="),
                .verbatim(literal),
            ]),
        ]
    }

    private static func longestHashRun(in text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "#" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}

extension String {
    fileprivate func replacingCarriageReturns() -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter { $0 != "\r" }))
    }
}
