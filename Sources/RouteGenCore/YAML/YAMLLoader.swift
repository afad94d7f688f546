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
        /// `*alias` or `&anchor`: the spec must be plain data.
        case aliasNotSupported(String, at: SourceLocation)
        /// A mapping key that is a mapping or a sequence.
        case nonScalarKey(at: SourceLocation)
        /// No document, or more than one.
        case documentCount(Int)

        public var location: SourceLocation {
            switch self {
            case .syntax(_, let at), .duplicateKey(_, let at, _), .aliasNotSupported(_, let at),
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
            case .aliasNotSupported(let name, _):
                "anchors and aliases are not supported ('\(name)'); write the value out or use a $ref"
            case .nonScalarKey: "mapping keys must be scalars"
            case .documentCount(let count):
                count == 0 ? "the file holds no YAML document" : "the file holds \(count) YAML documents; expected one"
            }
        }

        public var description: String { "\(location): \(message)" }
    }

    /// Loads the one document in `text`.
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
    private enum Frame {
        case mapping(at: SourceLocation, items: [YAMLNode])
        case sequence(at: SourceLocation, items: [YAMLNode])
    }

    private var stack: [Frame] = []
    private var documents: [YAMLNode] = []

    /// Takes one event; returns true at the end of the stream.
    mutating func consume(_ event: Event) throws(YAMLLoader.Failure) -> Bool {
        switch event {
        case .streamStart, .documentStart, .documentEnd: return false
        case .streamEnd: return true
        case .alias(let name, let at): throw .aliasNotSupported("*" + name, at: at)
        case .mappingStart(let anchor, let at):
            try reject(anchor, at: at)
            stack.append(.mapping(at: at, items: []))
        case .sequenceStart(let anchor, let at):
            try reject(anchor, at: at)
            stack.append(.sequence(at: at, items: []))
        case .scalar(let scalar, let anchor, let at):
            try reject(anchor, at: at)
            add(YAMLNode(.scalar(scalar), at: at))
        case .mappingEnd:
            guard case .mapping(let at, let items) = stack.popLast() else { break }
            add(YAMLNode(.mapping(try pairs(items)), at: at))
        case .sequenceEnd:
            guard case .sequence(let at, let items) = stack.popLast() else { break }
            add(YAMLNode(.sequence(items), at: at))
        }
        return false
    }

    func document() throws(YAMLLoader.Failure) -> YAMLNode {
        guard documents.count == 1 else { throw .documentCount(documents.count) }
        return documents[0]
    }

    private mutating func add(_ node: YAMLNode) {
        switch stack.popLast() {
        case .mapping(let at, var items)?:
            items.append(node)
            stack.append(.mapping(at: at, items: items))
        case .sequence(let at, var items)?:
            items.append(node)
            stack.append(.sequence(at: at, items: items))
        case nil:
            documents.append(node)
        }
    }

    private func reject(_ anchor: String?, at location: SourceLocation) throws(YAMLLoader.Failure) {
        if let anchor { throw .aliasNotSupported("&" + anchor, at: location) }
    }

    private func pairs(_ items: [YAMLNode]) throws(YAMLLoader.Failure) -> [YAMLPair] {
        var firstSeen: [String: SourceLocation] = [:]
        var pairs: [YAMLPair] = []
        pairs.reserveCapacity(items.count / 2)
        var index = 0
        while index + 1 < items.count {
            let keyNode = items[index]
            guard let key = keyNode.scalar?.text else { throw .nonScalarKey(at: keyNode.location) }
            if let first = firstSeen[key] {
                throw .duplicateKey(key, at: keyNode.location, firstAt: first)
            }
            firstSeen[key] = keyNode.location
            pairs.append(YAMLPair(key: key, keyLocation: keyNode.location, value: items[index + 1]))
            index += 2
        }
        return pairs
    }
}
