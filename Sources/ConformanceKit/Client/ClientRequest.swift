/// A request as the suite sends it: method, target (path and query, already percent-encoded),
/// header fields in order, and an optional body.
struct ClientRequest: Sendable, CustomStringConvertible {
    var method: String
    var target: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]?

    init(method: String, target: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The target in origin form: an absolute-form target (`http://host/chat/ping`) without
    /// its scheme and authority, as a server reads it (RFC 9112 §3.2.2); others as they are.
    var originTarget: String {
        guard target.hasPrefix("http://") else { return target }
        let rest = target.dropFirst("http://".count)
        return rest.firstIndex { $0 == "/" || $0 == "?" }.map { rest[$0] == "/" ? String(rest[$0...]) : "/" + rest[$0...] } ?? "/"
    }

    /// The value of the first field called `name` (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The bytes on the wire. Adds `Host`, `Content-Length` for a body and `Connection: close`
    /// unless the request sets them itself.
    func serialized(for url: BaseURL) -> [UInt8] {
        var fields = headers
        if header("Host") == nil { fields.insert((name: "Host", value: url.authority), at: 0) }
        if let body, header("Content-Length") == nil { fields.append((name: "Content-Length", value: String(body.count))) }
        if header("Connection") == nil { fields.append((name: "Connection", value: "close")) }
        var text = "\(method) \(target) HTTP/1.1\r\n"
        for field in fields { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8) + (body ?? [])
    }

    /// `POST /chat/user {"name":"alice"}`, the body cut to 200 characters, for failure messages.
    var description: String {
        var line = "\(method) \(target)"
        let shown = headers.filter { !["content-type", "content-length", "connection", "host"].contains($0.name.lowercased()) }
        if !shown.isEmpty { line += " [" + shown.map { "\($0.name): \($0.value.prefix(80))" }.joined(separator: ", ") + "]" }
        if let body, !body.isEmpty {
            let text = String(decoding: body.prefix(200), as: UTF8.self)
            line += " " + text + (body.count > 200 ? "… (\(body.count) bytes, \(header("Content-Type") ?? "no Content-Type"))" : "")
        }
        return line
    }
}

extension ClientRequest {
    /// A request with a JSON body (`Content-Type: application/json`).
    static func json(_ method: String, _ target: String, _ body: String) -> ClientRequest {
        ClientRequest(method: method, target: target, headers: [(name: "Content-Type", value: "application/json")], body: Array(body.utf8))
    }

    /// `text` percent-encoded for a path segment (unreserved and sub-delimiter characters kept).
    static func encodePathSegment(_ text: String) -> String {
        percentEncode(text, keeping: "-._~!$&'()*+,;=:@")
    }

    /// `text` percent-encoded for a query name or value.
    static func encodeQueryComponent(_ text: String) -> String {
        percentEncode(text, keeping: "-._~!$'()*,;:@/?")
    }

    private static func percentEncode(_ text: String, keeping allowed: String) -> String {
        var result = ""
        for byte in text.utf8 {
            let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            if isAlphanumeric || allowed.utf8.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return result
    }
}
