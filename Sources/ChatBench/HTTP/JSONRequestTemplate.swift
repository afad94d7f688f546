/// A JSON request whose line and headers (host, credential) are fixed and whose body changes
/// from one send to the next: the head is encoded once, so each request costs only its body,
/// its `Content-Length` and one copy.
struct JSONRequestTemplate: Sendable {
    /// Everything before `Content-Length`, ending in CRLF.
    private let head: [UInt8]

    /// `method path HTTP/1.1` with `Host`, the extra `headers` and `Content-Type: application/json`.
    init(_ method: String, _ path: String, host: String, headers: [(String, String)] = []) {
        head = Array((RequestBytes.headText(method, path, host: host, headers: headers) + "Content-Type: application/json\r\n").utf8)
    }

    /// The complete request with `body`.
    func request(json body: String) -> [UInt8] {
        let tail = "Content-Length: \(body.utf8.count)\r\n\r\n"
        var bytes = head
        bytes.reserveCapacity(head.count + tail.utf8.count + body.utf8.count)
        bytes.append(contentsOf: tail.utf8)
        bytes.append(contentsOf: body.utf8)
        return bytes
    }
}
