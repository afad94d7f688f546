import Foundation

/// A file sent as one part of a `multipart/form-data` body (a `format: binary` property): its
/// bytes, with the filename and media type the client gave.
public struct MultipartFile: Codable, Hashable, Sendable {
    /// The part's `filename`, if its `Content-Disposition` had one.
    public var filename: String?
    /// The part's `Content-Type`; `application/octet-stream` when it had none (RFC 7578 4.4).
    public var contentType: String
    /// The part's content.
    public var bytes: [UInt8]

    /// A file from its parts.
    public init(filename: String? = nil, contentType: String = "application/octet-stream", bytes: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
    }

    /// The member that holds the bytes (base64) when a file travels inside a `JSONValue`, which
    /// is how the input reader hands parts to `JSONDecoder` and the validator.
    static let dataKey = "data"

    private enum CodingKeys: String, CodingKey {
        case filename, contentType, data
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        filename = try container.decodeIfPresent(String.self, forKey: .filename)
        contentType = try container.decode(String.self, forKey: .contentType)
        let data = try container.decode(String.self, forKey: .data)
        guard let bytes = Data(base64Encoded: data) else {
            throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "not base64")
        }
        self.bytes = Array(bytes)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(filename, forKey: .filename)
        try container.encode(contentType, forKey: .contentType)
        try container.encode(Data(bytes).base64EncodedString(), forKey: .data)
    }

    /// The file as the JSON value the validator and decoder read.
    var jsonValue: JSONValue {
        var members: [String: JSONValue] = [
            "contentType": .string(contentType), Self.dataKey: .string(Data(bytes).base64EncodedString()),
        ]
        if let filename { members["filename"] = .string(filename) }
        return .object(members)
    }
}
