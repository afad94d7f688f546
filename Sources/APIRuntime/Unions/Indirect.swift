/// A value kept behind a reference, so that a generated struct can hold a value of its own type
/// (a recursive schema: `parent: Node?`) that Swift cannot store inline. Immutable: a struct that
/// holds one replaces it to change the value, so value semantics hold.
public final class Indirect<Wrapped: Sendable>: Sendable {
    /// The value.
    public let value: Wrapped

    /// Keeps `value`.
    public init(_ value: Wrapped) {
        self.value = value
    }
}

extension Indirect: Equatable where Wrapped: Equatable {
    public static func == (lhs: Indirect, rhs: Indirect) -> Bool {
        lhs === rhs || lhs.value == rhs.value
    }
}

extension Indirect: Hashable where Wrapped: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
    }
}
