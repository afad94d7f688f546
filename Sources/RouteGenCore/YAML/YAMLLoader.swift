internal import CYAML

/// Reads YAML text into a `YAMLNode` tree through libyaml's event API.
///
/// This is the only file that touches libyaml. Each parser handle is owned by a class whose
/// `deinit` frees it, and libyaml's 0-based marks become 1-based locations here and nowhere else.
public enum YAMLLoader {
    /// Why a document could not be loaded; each case says where.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// libyaml rejected the text: its problem, and the context it was in.
        case syntax(String, at: SourceLocation)
        /// The same key twice in one mapping.
        case duplicateKey(String, at: SourceLocation, firstAt: SourceLocation)
        /// `*alias` naming no `&anchor` before it.
        case unknownAlias(String, at: SourceLocation)
        /// Aliases would make the document larger than `YAMLLoader.maxExpandedNodes` nodes
        /// (a "billion laughs" document).
        case tooLargeWithAliases(at: SourceLocation)
        /// A mapping key that is a mapping or a sequence.
        case nonScalarKey(at: SourceLocation)
        /// No document, or more than one.
        case documentCount(Int)

        public var location: SourceLocation {
            switch self {
            case .syntax(_, let at), .duplicateKey(_, let at, _), .unknownAlias(_, let at), .tooLargeWithAliases(let at),
                .nonScalarKey(let at):
                at
            case .documentCount: SourceLocation(line: 1, column: 1)
            }
        }

        public var message: String {
            switch self {
            case .syntax(let problem, _): problem
            case .duplicateKey(let key, _, let first):
                "duplicate key '\(key)' (first defined at line \(first.line), column \(first.column))"
            case .unknownAlias(let name, _): "alias '*\(name)' names no anchor before it"
            case .tooLargeWithAliases:
                "aliases make the document larger than \(YAMLLoader.maxExpandedNodes) nodes; write the values out or use $refs"
            case .nonScalarKey: "mapping keys must be scalars"
            case .documentCount(let count):
                count == 0 ? "the file holds no YAML document" : "the file holds \(count) YAML documents; expected one"
            }
        }

        public var description: String { "\(location): \(message)" }
    }

    /// The most nodes a document may have once its aliases are expanded: a bound on the work a
    /// few lines of anchors can ask for (the chat's api.yaml has about 20,000).
    public static let maxExpandedNodes = 1_000_000

    /// Loads the one document in `text`; `*alias` stands for a copy of its `&anchor`'s node (at
    /// the anchor's location), and `<<: *base` merges a mapping's pairs under the explicit ones.
    public static func load(_ text: String) throws(Failure) -> YAMLNode {
        let parser = EventParser(Array(text.utf8))
        var builder = TreeBuilder()
        while true {
            let event = try parser.next()
            if try builder.consume(event) { break }
        }
        return try builder.document()
    }
}

/// One libyaml event, copied out of C memory.
private enum Event {
    case streamStart, streamEnd, documentStart, documentEnd
    case mappingStart(anchor: String?, at: SourceLocation)
    case mappingEnd
    case sequenceStart(anchor: String?, at: SourceLocation)
    case sequenceEnd
    case scalar(YAMLScalar, anchor: String?, at: SourceLocation)
    case alias(String, at: SourceLocation)
}

/// Owns a libyaml parser and the input bytes it reads.
private final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>

    init(_ bytes: [UInt8]) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    func next() throws(YAMLLoader.Failure) -> Event {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxFailure() }
        defer { yaml_event_delete(&event) }
        let at = location(event.start_mark)
        switch event.type {
        case YAML_STREAM_START_EVENT: return .streamStart
        case YAML_STREAM_END_EVENT: return .streamEnd
        case YAML_DOCUMENT_START_EVENT: return .documentStart
        case YAML_DOCUMENT_END_EVENT: return .documentEnd
        case YAML_MAPPING_START_EVENT:
            return .mappingStart(anchor: string(event.data.mapping_start.anchor), at: at)
        case YAML_MAPPING_END_EVENT: return .mappingEnd
        case YAML_SEQUENCE_START_EVENT:
            return .sequenceStart(anchor: string(event.data.sequence_start.anchor), at: at)
        case YAML_SEQUENCE_END_EVENT: return .sequenceEnd
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let scalar = YAMLScalar(text, isPlain: data.style == YAML_PLAIN_SCALAR_STYLE, tag: string(data.tag))
            return .scalar(scalar, anchor: string(data.anchor), at: at)
        case YAML_ALIAS_EVENT:
            return .alias(string(event.data.alias.anchor) ?? "", at: at)
        default:
            throw .syntax("unexpected YAML event", at: at)
        }
    }

    private func syntaxFailure() -> YAMLLoader.Failure {
        let problem = string(parser.pointee.problem) ?? "invalid YAML"
        var message = problem
        if let context = string(parser.pointee.context) {
            let contextAt = location(parser.pointee.context_mark)
            message += " \(context) at line \(contextAt.line), column \(contextAt.column)"
        }
        return .syntax(message, at: location(parser.pointee.problem_mark))
    }

    /// The one place 0-based libyaml marks become 1-based locations.
    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}

/// Turns the event sequence into nodes, checking keys as mappings close.
private struct TreeBuilder {
    private struct Frame {
        var isMapping: Bool
        var at: SourceLocation
        var anchor: String?
        var items: [YAMLNode] = []
        /// Nodes inside, aliases expanded.
        var size = 0
    }

    private var stack: [Frame] = []
    private var documents: [YAMLNode] = []
    /// Anchored nodes and their sizes with aliases expanded.
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var expandedNodes = 0

    /// Takes one event; returns true at the end of the stream.
    mutating func consume(_ event: Event) throws(YAMLLoader.Failure) -> Bool {
        switch event {
        case .streamStart, .documentStart, .documentEnd: return false
        case .streamEnd: return true
        case .alias(let name, let at):
            guard let anchored = anchors[name] else { throw .unknownAlias(name, at: at) }
            try add(anchored.node, size: anchored.size, anchor: nil, at: at)
        case .mappingStart(let anchor, let at):
            stack.append(Frame(isMapping: true, at: at, anchor: anchor))
        case .sequenceStart(let anchor, let at):
            stack.append(Frame(isMapping: false, at: at, anchor: anchor))
        case .scalar(let scalar, let anchor, let at):
            try add(YAMLNode(.scalar(scalar), at: at), size: 1, anchor: anchor, at: at)
        case .mappingEnd, .sequenceEnd:
            guard let frame = stack.popLast() else { break }
            let content: YAMLNode.Content = frame.isMapping ? .mapping(try pairs(frame.items)) : .sequence(frame.items)
            // Its nodes were counted as they came; only the container itself is new.
            expandedNodes -= frame.size
            try add(YAMLNode(content, at: frame.at), size: frame.size + 1, anchor: frame.anchor, at: frame.at)
        }
        return false
    }

    func document() throws(YAMLLoader.Failure) -> YAMLNode {
        guard documents.count == 1 else { throw .documentCount(documents.count) }
        return documents[0]
    }

    /// Adds a finished node of `size` expanded nodes to its parent, counting it against the bound.
    private mutating func add(_ node: YAMLNode, size: Int, anchor: String?, at location: SourceLocation) throws(YAMLLoader.Failure) {
        expandedNodes += size
        guard expandedNodes <= YAMLLoader.maxExpandedNodes else { throw .tooLargeWithAliases(at: location) }
        if let anchor { anchors[anchor] = (node, size) }
        guard !stack.isEmpty else { return documents.append(node) }
        stack[stack.count - 1].items.append(node)
        stack[stack.count - 1].size += size
    }

    private func pairs(_ items: [YAMLNode]) throws(YAMLLoader.Failure) -> [YAMLPair] {
        var firstSeen: [String: SourceLocation] = [:]
        var pairs: [YAMLPair] = []
        var merged: [YAMLPair] = []
        pairs.reserveCapacity(items.count / 2)
        var index = 0
        while index + 1 < items.count {
            let keyNode = items[index]
            guard let key = keyNode.scalar?.text else { throw .nonScalarKey(at: keyNode.location) }
            if key == "<<", keyNode.scalar?.isPlain == true {
                // A merge key: the pairs of the mapping (or mappings) it names, under the explicit ones.
                let sources = items[index + 1].items ?? [items[index + 1]]
                merged += sources.flatMap { $0.pairs ?? [] }
                index += 2
                continue
            }
            if let first = firstSeen[key] {
                throw .duplicateKey(key, at: keyNode.location, firstAt: first)
            }
            firstSeen[key] = keyNode.location
            pairs.append(YAMLPair(key: key, keyLocation: keyNode.location, value: items[index + 1]))
            index += 2
        }
        for pair in merged where firstSeen[pair.key] == nil {
            firstSeen[pair.key] = pair.keyLocation
            pairs.append(pair)
        }
        return pairs
    }
}
