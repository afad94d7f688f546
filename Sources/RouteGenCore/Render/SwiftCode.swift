/// Swift source as a small tree: lines, doc comments and braced blocks. Renderers build trees;
/// only the printer knows about indentation and braces.
public indirect enum SwiftCode: Sendable, Equatable {
    /// One line of code.
    case line(String)
    /// An empty line.
    case blank
    /// A `///` comment; each line of the text becomes one comment line. Nil or empty prints nothing.
    case doc(String?)
    /// `header {` (or `header` and `opening`), the body one level deeper, then `}` (or `closing`).
    case block(String, [SwiftCode], opening: String = " {", closing: String = "}")
    /// `switch subject {`, its `case` lines at the switch's own level, then `}`.
    case switchBlock(String, [SwiftCode])
    /// Several nodes at the same level.
    case group([SwiftCode])
    /// Text printed exactly as it is, at column zero (the body of a raw string literal).
    case verbatim(String)

    /// The source text, indented by four spaces a level, ending with a newline.
    public func rendered() -> String {
        var output = ""
        print(into: &output, depth: 0)
        return output
    }

    /// Renders a list of top-level nodes.
    public static func render(_ nodes: [SwiftCode]) -> String {
        SwiftCode.group(nodes).rendered()
    }

    /// Where doc comments wrap.
    static let lineWidth = 110

    /// `text` broken at spaces into lines of at most `width` characters (a longer word stands alone).
    static func wrap(_ text: String, width: Int) -> [String] {
        guard text.count > width else { return [text] }
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > width {
                lines.append(current)
                current = String(word)
            } else {
                current += current.isEmpty ? String(word) : " " + word
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    private func print(into output: inout String, depth: Int) {
        let indent = String(repeating: "    ", count: depth)
        switch self {
        case .line(let text):
            output += indent + text + "\n"
        case .blank:
            output += "\n"
        case .doc(let text):
            guard let text, !text.isEmpty else { return }
            let width = max(40, SwiftCode.lineWidth - indent.count - 4)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                let trimmed = line.trimmingSuffixWhitespace()
                if trimmed.isEmpty {
                    output += indent + "///\n"
                    continue
                }
                for wrapped in SwiftCode.wrap(trimmed, width: width) {
                    output += indent + "/// " + wrapped + "\n"
                }
            }
        case .block(let header, let body, let opening, let closing):
            output += indent + header + opening + "\n"
            for node in body { node.print(into: &output, depth: depth + 1) }
            output += indent + closing + "\n"
        case .switchBlock(let subject, let cases):
            output += indent + "switch " + subject + " {\n"
            for node in cases { node.print(into: &output, depth: depth) }
            output += indent + "}\n"
        case .group(let nodes):
            for node in nodes { node.print(into: &output, depth: depth) }
        case .verbatim(let text):
            output += text
            if !text.hasSuffix("\n") { output += "\n" }
        }
    }
}

extension Substring {
    fileprivate func trimmingSuffixWhitespace() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[..<end])
    }
}

extension Array where Element == SwiftCode {
    /// The nodes with a blank line between each pair.
    public func separated() -> [SwiftCode] {
        var result: [SwiftCode] = []
        for (index, node) in enumerated() {
            if index > 0 { result.append(.blank) }
            result.append(node)
        }
        return result
    }
}
