extension RequestParser {
    /// Copies up to `remaining` bytes of a `Content-Length` body.
    mutating func readBody(remaining: Int) -> Step {
        let taken = takeBodyBytes(upTo: remaining)
        if taken == remaining { return complete() }
        phase = .body(remaining: remaining - taken)
        return .output(.needMore)
    }

    /// `chunk-size [ chunk-ext ] CRLF` (RFC 9112 §7.1); extensions are checked and ignored.
    mutating func parseChunkSize() -> Step {
        let line: Range<Int>
        switch nextLine() {
        case .incomplete:
            return bufferedByteCount > limits.maxRequestLineBytes + 1
                ? .fail(.malformedChunk("chunk-size line too long")) : .output(.needMore)
        case .invalidEnding:
            return .fail(.invalidLineEnding)
        case .line(let found):
            line = found
        }
        consumeLine(line)
        if line.count > limits.maxRequestLineBytes { return .fail(.malformedChunk("chunk-size line too long")) }
        let size = buffer.withUnsafeBufferPointer { bytes in
            Self.chunkSize(UnsafeBufferPointer(rebasing: bytes[line]))
        }
        guard let size else { return .fail(.malformedChunk("invalid chunk-size line")) }
        if size == 0 {
            sectionBytes = 0
            sectionLines = 0
            phase = .trailers
            return .again
        }
        if size > limits.maxBodyBytes - body.count { return .fail(.contentTooLarge(limit: limits.maxBodyBytes)) }
        phase = .chunkData(remaining: size)
        return .again
    }

    /// The size a chunk-size line declares, or nil if the line is malformed.
    static func chunkSize(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        var size = 0
        var index = 0
        while index < line.count, let digit = HTTPSyntax.hexValue(line[index]) {
            // Fifteen hex digits exceed any body limit and cannot overflow.
            guard index < 15 else { return nil }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0 else { return nil }
        while index < line.count, HTTPSyntax.isWhitespace(line[index]) { index += 1 }
        guard index < line.count else { return size }
        guard line[index] == HTTPSyntax.semicolon else { return nil }
        for byte in line[index...] where !HTTPSyntax.isFieldValueChar(byte) { return nil }
        return size
    }

    /// Copies up to `remaining` bytes of one chunk's data.
    mutating func readChunkData(remaining: Int) -> Step {
        let taken = takeBodyBytes(upTo: remaining)
        if taken == remaining {
            phase = .chunkDataEnd
            return .again
        }
        phase = .chunkData(remaining: remaining - taken)
        return .output(.needMore)
    }

    /// The CRLF after a chunk's data.
    mutating func parseChunkDataEnd() -> Step {
        if bufferedByteCount >= 1, buffer[start] != HTTPSyntax.cr {
            return .fail(.malformedChunk("chunk data longer than its size"))
        }
        guard bufferedByteCount >= 2 else { return .output(.needMore) }
        guard buffer[start + 1] == HTTPSyntax.lf else { return .fail(.invalidLineEnding) }
        start += 2
        scan = start
        phase = .chunkSize
        return .again
    }

    /// A trailer field line, checked like a header and dropped, or the empty line ending the body.
    mutating func parseTrailerLine() -> Step {
        let line: Range<Int>
        switch nextLine() {
        case .incomplete:
            return sectionBytes + bufferedByteCount > limits.maxHeaderBytes
                ? .fail(.headerSectionTooLarge(limit: limits.maxHeaderBytes)) : .output(.needMore)
        case .invalidEnding:
            return .fail(.invalidLineEnding)
        case .line(let found):
            line = found
        }
        consumeLine(line)
        if line.isEmpty { return complete() }
        sectionBytes += line.count + 2
        sectionLines += 1
        if sectionBytes > limits.maxHeaderBytes { return .fail(.headerSectionTooLarge(limit: limits.maxHeaderBytes)) }
        if sectionLines > limits.maxHeaderCount { return .fail(.tooManyHeaderFields(limit: limits.maxHeaderCount)) }
        let parsed = buffer.withUnsafeBufferPointer { bytes -> RequestError? in
            if case .failure(let error) = FieldLine.parse(UnsafeBufferPointer(rebasing: bytes[line])) { return error }
            return nil
        }
        if let parsed { return .fail(parsed) }
        return .again
    }

    /// Moves up to `limit` buffered bytes into the body; returns how many.
    private mutating func takeBodyBytes(upTo limit: Int) -> Int {
        let count = min(limit, bufferedByteCount)
        if count > 0 {
            body.append(contentsOf: buffer[start..<(start + count)])
            start += count
            scan = start
        }
        return count
    }
}
