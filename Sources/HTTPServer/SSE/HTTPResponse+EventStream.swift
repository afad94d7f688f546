extension HTTPResponse {
    /// The header fields of an event stream, before the caller's own.
    private static let eventStreamFields: [(String, String)] = [
        ("Content-Type", "text/event-stream"),
        ("Cache-Control", "no-store"),
        ("X-Accel-Buffering", "no"),
    ]

    /// 200, Content-Type text/event-stream, Cache-Control no-store, X-Accel-Buffering no (plus
    /// `headers`, which win over these three); on open writes one block of `retry: <ms>` (if given)
    /// and the comment `: connected`, then calls `open` with a stream whose writes are also
    /// watched by a heartbeat: `: ping\n\n` is sent every `heartbeat` interval while nothing
    /// else was sent in that interval. The heartbeat timer is cancelled when the stream closes.
    public static func eventStream(
        headers: HTTPHeaders = [:],
        retryMilliseconds: Int?,
        heartbeat: Duration?,
        open: @escaping @Sendable (any ResponseStream) -> Void
    ) -> HTTPResponse {
        var fields = HTTPHeaders()
        for (name, value) in eventStreamFields where !headers.contains(name) {
            fields.add(name, value)
        }
        for field in headers { fields.add(field.name, field.value) }
        return HTTPResponse(status: .ok, headers: fields, body: .stream { stream in
            var opening: [UInt8] = []
            // One block: `retry: N`, `: connected`, blank line.
            if let retryMilliseconds { opening += Array("retry: \(max(0, retryMilliseconds))\n".utf8) }
            opening += ServerSentEvent.comment("connected")
            stream.write(opening)
            if let heartbeat, heartbeat > .zero {
                open(HeartbeatStream(wrapping: stream, interval: heartbeat))
            } else {
                open(stream)
            }
        })
    }
}
