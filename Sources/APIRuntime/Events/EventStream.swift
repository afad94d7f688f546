import Foundation
import HTTPServer

/// A Server-Sent-Events answer whose events are values of `Event`: what a streaming
/// operation's handler returns instead of a body.
public struct EventStream<Event: Encodable & Sendable>: Sendable {
    /// The `retry:` the stream starts with, in milliseconds; nil sends none.
    public var retryMilliseconds: Int?
    /// How long the stream may stay silent before a `: ping` comment; nil sends none.
    public var heartbeat: Duration?
    /// Runs once the stream is open, with the sink to send events through.
    public var open: @Sendable (EventSink<Event>) -> Void

    public init(
        retryMilliseconds: Int? = 3000, heartbeat: Duration? = .seconds(15),
        open: @escaping @Sendable (EventSink<Event>) -> Void
    ) {
        self.retryMilliseconds = retryMilliseconds
        self.heartbeat = heartbeat
        self.open = open
    }

    /// The HTTP answer: the SSE head, then `open` with a typed sink over the connection.
    public func response() -> HTTPResponse {
        let open = self.open
        return HTTPResponse.eventStream(retryMilliseconds: retryMilliseconds, heartbeat: heartbeat) { stream in
            open(EventSink(stream))
        }
    }
}

/// An event serialised once, JSON and framing included, ready to be written to any number of
/// streams as the same bytes.
public struct EncodedEvent<Event: Encodable & Sendable>: Sendable {
    /// The complete frame: `id: …`, `data: …`, blank line.
    public let bytes: [UInt8]

    /// Frames already made (a user stream's, whose ids it writes itself).
    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Several encoded events as one write, in order.
    public static func joined(_ events: [EncodedEvent]) -> EncodedEvent {
        guard events.count != 1 else { return events[0] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(events.reduce(0) { $0 + $1.bytes.count })
        for event in events { bytes += event.bytes }
        return EncodedEvent(bytes: bytes)
    }

    /// Encodes `event` as the `data` of a frame with `id`.
    public init(_ event: Event, id: String?) throws {
        let json = try Self.json(of: event)
        bytes = ServerSentEvent.frame(id: id, data: String(decoding: json, as: UTF8.self))
    }

    /// A frame with `id` around `json`, an `Event`'s encoding as `json(of:)` makes it (or made
    /// in parts from one, e.g. its fields before a number that is known only later).
    public init(json: some Collection<UInt8>, id: String?) {
        self.init(json: Array(json), id: id)
    }

    /// `init(json:id:)` for an array, the form the post path has (no generic call on it).
    public init(json: [UInt8], id: String?) {
        bytes = ServerSentEvent.frame(id: id, utf8: json)
    }

    /// `event`'s JSON as frames carry it: sorted keys, so the same value always encodes to the
    /// same bytes.
    public static func json(of event: Event) throws -> Data {
        try EncodedJSON<Event>.encoder().encode(event)
    }
}

/// The sending end of an event stream; it accepts only the events the spec declares.
public final class EventSink<Event: Encodable & Sendable>: Sendable {
    private let stream: any ResponseStream

    /// A sink over `stream`; the package also makes these over streams of its own (a user
    /// stream's per-lobby attachments).
    package init(_ stream: any ResponseStream) {
        self.stream = stream
    }

    /// Writes an already encoded event; never blocks.
    public func send(_ event: EncodedEvent<Event>) {
        stream.write(event.bytes)
    }

    /// Writes an already encoded event as part of `batch` (one system call for many streams).
    public func send(_ event: EncodedEvent<Event>, in batch: StreamWriteBatch) {
        batch.write(event.bytes, to: stream)
    }

    /// Encodes and writes one event.
    public func send(_ event: Event, id: String?) throws {
        send(try EncodedEvent(event, id: id))
    }

    /// Writes a comment line, which clients ignore.
    public func comment(_ text: String) {
        stream.write(ServerSentEvent.comment(text))
    }

    /// Ends the stream after what is queued.
    public func finish() {
        stream.finish()
    }

    /// Runs `handler` once when the stream closes for any reason.
    public func onClose(_ handler: @escaping @Sendable () -> Void) {
        stream.onClose(handler)
    }

    /// Whether the stream has closed.
    public var isClosed: Bool { stream.isClosed }

    /// A stable identity for bookkeeping (which subscriber this is).
    public var id: ObjectIdentifier { ObjectIdentifier(stream) }
}
