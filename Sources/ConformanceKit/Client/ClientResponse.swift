/// A complete response: its head and its (de-chunked) body.
struct ClientResponse: Sendable {
    var head: ResponseHead
    var body: [UInt8]

    var status: Int { head.status }

    /// The body as text (invalid UTF-8 shown as replacement characters).
    var text: String { String(decoding: body, as: UTF8.self) }

    /// `404 Not Found application/problem+json {"type":…}`, the body cut to 300 characters.
    var summary: String {
        var line = head.statusLine
        if let type = head.header("Content-Type") { line += " " + type }
        if !body.isEmpty {
            line += " " + String(text.prefix(300)) + (body.count > 300 ? "… (\(body.count) bytes)" : "")
        }
        return line
    }
}
