/// One part of a `multipart/form-data` body.
public struct MultipartPart: Sendable, Equatable {
    /// The `name` of its `Content-Disposition: form-data`.
    public var name: String
    /// Its `filename`, if any.
    public var filename: String?
    /// Its `Content-Type`, if it had one.
    public var contentType: String?
    /// Its content, exactly as sent.
    public var body: [UInt8]

    /// A part from its fields.
    public init(name: String, filename: String? = nil, contentType: String? = nil, body: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.body = body
    }
}

/// Why a multipart body could not be read; each becomes a 400 naming it.
public enum MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `Content-Type` has no usable `boundary` parameter (1 to 70 characters, RFC 2046).
    case missingBoundary
    /// The body does not start with (a preamble and) `--boundary`.
    case noOpeningDelimiter
    /// A part's header section does not end with an empty line.
    case unterminatedHeaders(part: Int)
    /// A part's header line is not `name: value`.
    case malformedHeader(part: Int)
    /// A part has no `Content-Disposition: form-data` with a `name`.
    case missingName(part: Int)
    /// The body ends before `--boundary--`.
    case noClosingDelimiter
    /// A boundary delimiter is followed by something other than `--` or a line break.
    case malformedDelimiter
    /// More parts than `MultipartParser.maxParts`.
    case tooManyParts(limit: Int)

    public var description: String {
        switch self {
        case .missingBoundary: "its Content-Type has no boundary parameter of 1 to 70 characters"
        case .noOpeningDelimiter: "it does not start with its boundary delimiter"
        case .unterminatedHeaders(let part): "part \(part) has no empty line after its headers"
        case .malformedHeader(let part): "part \(part) has a header line that is not 'name: value'"
        case .missingName(let part): "part \(part) has no Content-Disposition form-data with a name"
        case .noClosingDelimiter: "it ends before its closing boundary delimiter"
        case .malformedDelimiter: "a boundary delimiter is followed by neither '--' nor a line break"
        case .tooManyParts(let limit): "it has more than \(limit) parts"
        }
    }
}
