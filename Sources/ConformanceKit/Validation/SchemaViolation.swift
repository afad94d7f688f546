/// One way a value breaks its schema: where (`$.members[0].id`) and how.
struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
    var path: String
    var message: String
    var description: String { "\(path): \(message)" }
}
