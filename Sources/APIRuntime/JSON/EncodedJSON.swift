import Foundation

/// A `Value` already encoded as JSON, in the bytes `ResponseEncoding.json` writes for it (sorted
/// keys, slashes unescaped): what a handler answers through an output's `…(encoded:)` factory
/// when it holds those bytes anyway (e.g. spliced into an event frame it made), so the value is
/// not encoded a second time. The type parameter keeps the body to its declared schema: a
/// factory for a `Message` response takes only an `EncodedJSON<Message>`.
public struct EncodedJSON<Value: Encodable>: Sendable {
    /// The JSON text, UTF-8.
    public let bytes: [UInt8]

    /// Encodes `value` as a JSON answer carries it: sorted keys, so the same value always
    /// encodes to the same bytes.
    public init(_ value: Value) throws {
        bytes = Array(try Self.encoder().encode(value))
    }

    /// Bytes the caller made itself, which must be what `init(_:)` makes for some `Value` (a test
    /// of the caller's should hold it to that); they are not checked here, on the hot path.
    public init(preEncoded bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The encoder of answers and event frames.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }
}
