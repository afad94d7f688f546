/// Maps a request path to the operations of the path template it matches.
///
/// A static segment wins over a parameter at the first position where two templates differ,
/// so `/chat/users` never reaches `/chat/{room}`. The asterisk-form target `*` (`OPTIONS *`)
/// matches a template of its own with no operations that allows every method of the table.
public struct RouteTable<Operation: Sendable>: Sendable {
    /// A path template's methods and the parameter values taken from the request path.
    public struct Match: Sendable {
        public var template: String
        public var operations: [(method: String, operation: Operation)]
        public var parameters: [String: String]
        /// Methods allowed besides the template's own operations (every method, for `*`).
        var otherMethods: [String] = []

        /// The operation for `method`, if the template has one.
        public func operation(for method: String) -> Operation? {
            operations.first { $0.method == method }?.operation
        }

        /// The methods this path answers, `HEAD` and `OPTIONS` included, for `Allow`.
        public var allowedMethods: [String] {
            var methods = operations.map(\.method) + otherMethods
            if methods.contains("GET") { methods.append("HEAD") }
            methods.append("OPTIONS")
            return methods
        }
    }

    /// The templates, matched without generics (so code of another module, not specialized
    /// for `Operation`, looks up no generic metadata on a request's path).
    private let templates: PathTemplates
    /// Each template's operations, by its index in `templates`.
    private let operationsByTemplate: [[(method: String, operation: Operation)]]
    /// What `*` matches: no operations, every method of the table allowed.
    private let serverWide: Match

    /// A table of `(method, template, operation)` routes; templates look like `/chat/{room}`.
    public init(_ routes: [(method: String, template: String, operation: Operation)]) {
        var templates: [String] = []
        var operations: [[(method: String, operation: Operation)]] = []
        for route in routes {
            if let index = templates.firstIndex(of: route.template) {
                operations[index].append((route.method, route.operation))
            } else {
                templates.append(route.template)
                operations.append([(route.method, route.operation)])
            }
        }
        self.templates = PathTemplates(templates)
        operationsByTemplate = operations
        var methods: [String] = []
        for route in routes where !methods.contains(route.method) { methods.append(route.method) }
        serverWide = Match(template: "*", operations: [], parameters: [:], otherMethods: methods)
    }

    /// The template `path` matches (percent-encoded, without the query), with its parameters decoded.
    public func match(_ path: Substring) -> Match? {
        if path == "*" { return serverWide }
        guard let (index, template, parameters) = templates.match(path) else { return nil }
        return Match(template: template, operations: operationsByTemplate[index], parameters: parameters)
    }
}

/// Path templates (`/chat/{room}`) and the matching of a request path against them.
private struct PathTemplates: Sendable {
    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    private struct Entry: Sendable {
        /// The template's place in the list it was made from.
        var index: Int
        var template: String
        var segments: [Segment]
    }

    /// Entries by segment count (the index), each list most specific first.
    private let entriesByLength: [[Entry]]

    init(_ templates: [String]) {
        let entries = templates.enumerated().map { index, template in
            let segments = template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map {
                $0.hasPrefix("{") && $0.hasSuffix("}") ? Segment.parameter(String($0.dropFirst().dropLast())) : Segment.literal(String($0))
            }
            return Entry(index: index, template: template, segments: segments)
        }
        // Only templates with as many segments as the path can match it. Within one length,
        // literal before parameter at the earliest differing position (a strict weak order, so
        // the result does not depend on the spec's order); the first match then wins.
        let grouped = Dictionary(grouping: entries, by: \.segments.count).mapValues { group in
            group.sorted { lhs, rhs in
                for (left, right) in zip(lhs.segments, rhs.segments) {
                    switch (left, right) {
                    case (.literal, .parameter): return true
                    case (.parameter, .literal): return false
                    default: continue
                    }
                }
                return false
            }
        }
        entriesByLength = (0...(grouped.keys.max() ?? 0)).map { grouped[$0] ?? [] }
    }

    /// The index and template `path` matches, with its parameters decoded.
    func match(_ path: Substring) -> (index: Int, template: String, parameters: [String: String])? {
        guard path.first == "/" else { return nil }
        let parts = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count < entriesByLength.count else { return nil }
        candidates: for entry in entriesByLength[parts.count] {
            var parameters: [String: String] = [:]
            for (segment, part) in zip(entry.segments, parts) {
                switch segment {
                case .literal(let literal):
                    guard part == literal else { continue candidates }
                case .parameter(let name):
                    guard !part.isEmpty, let value = PercentDecoding.decode(part) else { continue candidates }
                    parameters[name] = value
                }
            }
            return (entry.index, entry.template, parameters)
        }
        return nil
    }
}

/// Percent-decoding of URL components (RFC 3986), strict about malformed escapes.
public enum PercentDecoding {
    /// `text` with `%XX` escapes decoded (and `+` as space when `plusIsSpace`); nil when an escape
    /// is malformed or the result is not UTF-8.
    public static func decode(_ text: Substring, plusIsSpace: Bool = false) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) || (plusIsSpace && text.utf8.contains(UInt8(ascii: "+"))) else {
            return String(text)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            case UInt8(ascii: "+") where plusIsSpace:
                bytes.append(UInt8(ascii: " "))
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
