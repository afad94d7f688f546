/// A response the tool cannot read.
enum ResponseParseError: Error, CustomStringConvertible, Sendable {
    case headTooLarge(Int)
    case malformedStatusLine(String)
    case malformedField(String)
    case badContentLength(String)
    case badChunkSize(String)

    var description: String {
        switch self {
        case .headTooLarge(let limit): "response head longer than \(limit) bytes"
        case .malformedStatusLine(let line): "malformed status line '\(line)'"
        case .malformedField(let line): "malformed header field '\(line)'"
        case .badContentLength(let value): "bad Content-Length '\(value)'"
        case .badChunkSize(let line): "bad chunk size line '\(line)'"
        }
    }
}
