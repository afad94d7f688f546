/// Reads a `multipart/form-data` body (RFC 7578, framing from RFC 2046) into its parts. The
/// body is already whole and within the transport's `maxBodyBytes`; malformed input is a
/// `MultipartError`, never a trap.
public enum MultipartParser {
    /// The `boundary` parameter of a `Content-Type` value, unquoted; nil when it is missing or
    /// not 1 to 70 characters.
    public static func boundary(of contentType: String) -> String? {
        for (name, value) in MediaTypeParameters.parse(contentType) where name == "boundary" {
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    /// The parts of `body`, delimited by `boundary`, at most `maxParts` of them. The preamble
    /// and the epilogue are ignored.
    public static func parse(_ body: [UInt8], boundary: String, maxParts: Int) throws(MultipartError) -> [MultipartPart] {
        let delimiter = Array("--\(boundary)".utf8)
        let separator = [cr, lf] + delimiter
        // The first delimiter opens the body, or ends a line of the preamble.
        var position: Int
        if body.starts(with: delimiter) {
            position = delimiter.count
        } else if let found = find(separator, in: body, from: 0) {
            position = found + separator.count
        } else {
            throw .noOpeningDelimiter
        }
        var parts: [MultipartPart] = []
        while true {
            if body[position...].starts(with: [dash, dash]) { return parts }
            while position < body.count, body[position] == space || body[position] == tab { position += 1 }  // transport padding
            guard body[position...].starts(with: [cr, lf]) else {
                throw position >= body.count ? .noClosingDelimiter : .malformedDelimiter
            }
            position += 2
            guard let end = find(separator, in: body, from: position) else { throw .noClosingDelimiter }
            guard parts.count < maxParts else { throw .tooManyParts(limit: maxParts) }
            parts.append(try part(body, position..<end, number: parts.count + 1))
            position = end + separator.count
        }
    }

    /// One part: header lines, an empty line, the content.
    private static func part(_ body: [UInt8], _ range: Range<Int>, number: Int) throws(MultipartError) -> MultipartPart {
        let bytes = body[range]
        let headerEnd: Int
        let contentStart: Int
        if bytes.starts(with: [cr, lf]) {
            (headerEnd, contentStart) = (bytes.startIndex, bytes.startIndex + 2)
        } else if let found = find([cr, lf, cr, lf], in: body, from: range.lowerBound, to: range.upperBound) {
            (headerEnd, contentStart) = (found, found + 4)
        } else {
            throw .unterminatedHeaders(part: number)
        }
        var name: String?
        var filename: String?
        var contentType: String?
        let headerText = String(decoding: bytes[bytes.startIndex..<headerEnd], as: UTF8.self)
        for line in headerText.split(separator: "\r\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeader(part: number) }
            let field = line[..<colon].trimmingWhitespace().lowercased()
            let value = line[line.index(after: colon)...].trimmingWhitespace()
            switch field {
            case "content-disposition":
                let disposition = value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingWhitespace().lowercased() }
                guard disposition == "form-data" else { throw .missingName(part: number) }
                for (parameter, parameterValue) in MediaTypeParameters.parse(value) {
                    if parameter == "name" { name = parameterValue }
                    if parameter == "filename" { filename = parameterValue }
                }
            case "content-type":
                contentType = value
            default:
                continue
            }
        }
        guard let name else { throw .missingName(part: number) }
        return MultipartPart(name: name, filename: filename, contentType: contentType, body: Array(bytes[contentStart...]))
    }

    /// The index where `needle` first starts in `haystack[start..<end]`.
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, to end: Int? = nil) -> Int? {
        let end = end ?? haystack.count
        guard let first = needle.first, end - start >= needle.count else { return nil }
        var index = start
        while index <= end - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dash = UInt8(ascii: "-")
    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
}
