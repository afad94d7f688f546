import RouteGenCore

extension JSON {
    /// The value as it goes into a path, query or header: a string as itself, anything else as
    /// its JSON text (`3`, `true`).
    var plainText: String {
        if case .string(let text) = self { text } else { description }
    }
}
