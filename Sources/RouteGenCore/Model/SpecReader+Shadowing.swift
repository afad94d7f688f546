import Foundation

extension SpecReader {
    /// The router lets a static segment win over a parameter (`/chat/version` before
    /// `/chat/{room}`), so a parameter value equal to a sibling's static segment never reaches
    /// its operation: a warning at the parameter, unless its `pattern` refuses the word.
    mutating func checkShadowedParameters(_ operations: [Operation]) {
        // The templates by their number of segments, then by each position where they are static:
        // a parameter is compared only with the templates that could shadow it.
        var staticAt: [Int: [Int: [(String, [String])]]] = [:]
        for path in Set(operations.map(\.path)).sorted() {
            let segments = Self.segments(path)
            for (index, segment) in segments.enumerated() where !Self.isParameter(segment) {
                staticAt[segments.count, default: [:]][index, default: []].append((path, segments))
            }
        }
        for operation in operations {
            let mine = Self.segments(operation.path)
            for (index, segment) in mine.enumerated() where Self.isParameter(segment) {
                let name = String(segment.dropFirst().dropLast())
                guard let parameter = operation.parameters(in: .path).first(where: { $0.name == name }) else { continue }
                for (other, theirs) in staticAt[mine.count]?[index] ?? [] where other != operation.path {
                    let sameElsewhere = zip(mine, theirs).enumerated().allSatisfy { position, pair in
                        position == index || pair.0 == pair.1 || Self.isParameter(pair.0) || Self.isParameter(pair.1)
                    }
                    let word = theirs[index]
                    guard sameElsewhere, !Self.refuses(parameter.schema, word) else { continue }
                    diagnostics.warn(.parameterShadowed(name, path: operation.path, word: word, by: other), at: parameter.location)
                }
            }
        }
    }

    private static func segments(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
    }

    private static func isParameter(_ segment: String) -> Bool {
        segment.hasPrefix("{") && segment.hasSuffix("}")
    }

    /// Whether the parameter's schema refuses `word`: a pattern that does not match it, or
    /// allowed values without it.
    private static func refuses(_ schema: Schema, _ word: String) -> Bool {
        switch schema.kind {
        case .string(let rules):
            if let allowed = rules.allowed { return !allowed.contains(word) }
            guard let pattern = rules.pattern, let expression = try? NSRegularExpression(pattern: pattern) else { return false }
            return expression.firstMatch(in: word, range: NSRange(word.startIndex..., in: word)) == nil
        case .integer, .number: return Double(word) == nil
        case .boolean: return word != "true" && word != "false"
        default: return false
        }
    }
}
