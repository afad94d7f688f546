/// Complete HTTP/1.1 requests as bytes, ready to write.
enum RequestBytes {
    /// `method path HTTP/1.1` with `Host`, the extra `headers`, and a JSON body when given.
    static func make(_ method: String, _ path: String, host: String, headers: [(String, String)] = [], json body: String? = nil) -> [UInt8] {
        if let body { return JSONRequestTemplate(method, path, host: host, headers: headers).request(json: body) }
        return Array((headText(method, path, host: host, headers: headers) + "\r\n").utf8)
    }

    /// The request line, `Host` and `headers`, each line ending in CRLF, without the blank line.
    static func headText(_ method: String, _ path: String, host: String, headers: [(String, String)]) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text
    }

    /// A JSON object of string fields, in the given order, escaped as JSON requires.
    static func jsonObject(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(jsonString($0.0)):\(jsonString($0.1))" }.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
