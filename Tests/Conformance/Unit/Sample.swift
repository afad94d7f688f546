import Testing

/// A named test input, so that parameterized tests list readable names instead of raw bytes.
struct Sample: Sendable, CustomTestStringConvertible {
    var name: String
    var text: String
    /// What the test expects of it (a message fragment, a body), when it needs one.
    var expected: String = ""

    var testDescription: String { name }
}
