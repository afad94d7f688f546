/// A YAML node as read from the spec, with the spot it starts at.
///
/// Only what JSON-compatible YAML needs: scalars, sequences and mappings with scalar keys.
/// Anchors and aliases are rejected by the loader, so the tree is a tree.
public struct YAMLNode: Sendable, Equatable {
    /// What the node holds.
    public enum Content: Sendable, Equatable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    /// Where the node starts (for a mapping or sequence, its first token).
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar, if this is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { scalar } else { nil }
    }

    /// The pairs, if this is a mapping.
    public var pairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { pairs } else { nil }
    }

    /// The items, if this is a sequence.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { items } else { nil }
    }

    /// The value under `key`, if this is a mapping that has it.
    public subscript(key: String) -> YAMLNode? {
        pairs?.first { $0.key == key }?.value
    }

    /// A word for the node's kind, for messages ("a mapping").
    public var kindDescription: String {
        switch content {
        case .scalar: "a scalar"
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        }
    }
}

/// A scalar's text and how it was written (a plain `200` is a number, a quoted `'200'` a string).
public struct YAMLScalar: Sendable, Equatable {
    public var text: String
    /// Whether it was written without quotes or block indicators, which makes `true`, `12` and
    /// `null` mean what JSON means by them.
    public var isPlain: Bool
    /// An explicit tag (`!!str`), if any.
    public var tag: String?

    public init(_ text: String, isPlain: Bool = true, tag: String? = nil) {
        self.text = text
        self.isPlain = isPlain
        self.tag = tag
    }
}

/// One entry of a mapping; the key keeps its own spot for duplicate-key messages.
public struct YAMLPair: Sendable, Equatable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLNode

    public init(key: String, keyLocation: SourceLocation, value: YAMLNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}
