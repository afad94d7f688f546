extension RequestParser {
    /// `method SP request-target SP HTTP-version` (RFC 9112 §3), after any empty lines.
    mutating func parseRequestLine() -> Step {
        let line: Range<Int>
        switch nextLine() {
        case .incomplete:
            // The limit counts the line without its CRLF; a lone CR may still be pending.
            return bufferedByteCount > limits.maxRequestLineBytes + 1
                ? .fail(.requestLineTooLong(limit: limits.maxRequestLineBytes)) : .output(.needMore)
        case .invalidEnding:
            return .fail(.invalidLineEnding)
        case .line(let found):
            line = found
        }
        consumeLine(line)
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request.
        if line.isEmpty { return .again }
        if line.count > limits.maxRequestLineBytes {
            return .fail(.requestLineTooLong(limit: limits.maxRequestLineBytes))
        }
        let parsed = buffer.withUnsafeBufferPointer { bytes in
            RequestLine.parse(UnsafeBufferPointer(rebasing: bytes[line]))
        }
        switch parsed {
        case .failure(let error):
            return .fail(error)
        case .success(let requestLine):
            method = requestLine.method
            target = requestLine.target
            version = requestLine.version
            sectionBytes = 0
            sectionLines = 0
            phase = .headerLines
            return .again
        }
    }

    /// One `field-name ":" OWS field-value OWS` line, or the empty line ending the head.
    mutating func parseHeaderLine() -> Step {
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
        sectionBytes += line.count + 2
        if sectionBytes > limits.maxHeaderBytes {
            return .fail(.headerSectionTooLarge(limit: limits.maxHeaderBytes))
        }
        if line.isEmpty { return finishHead() }
        sectionLines += 1
        if sectionLines > limits.maxHeaderCount {
            return .fail(.tooManyHeaderFields(limit: limits.maxHeaderCount))
        }
        return buffer.withUnsafeBufferPointer { bytes -> Step in
            let field: FieldLine
            switch FieldLine.parse(UnsafeBufferPointer(rebasing: bytes[line])) {
            case .failure(let error): return .fail(error)
            case .success(let parsed): field = parsed
            }
            if let error = head.note(name: field.name, value: field.value) { return .fail(error) }
            headers.add(field.nameString, field.valueString)
            return .again
        }
    }

    /// Checks the framing the head declared and decides how the body is read (RFC 9112 §6).
    mutating func finishHead() -> Step {
        let isHTTP11 = version.minor >= 1
        if isHTTP11, head.hostCount != 1 {
            return .fail(.invalidHost(head.hostCount == 0 ? "an HTTP/1.1 request needs a Host" : "more than one Host"))
        }
        if head.hostCount > 1 { return .fail(.invalidHost("more than one Host")) }
        var chunked = false
        if !head.transferCodings.isEmpty {
            if !isHTTP11 { return .fail(.invalidTransferEncoding("not allowed in HTTP/1.0")) }
            if head.contentLength != nil { return .fail(.conflictingFraming) }
            guard head.transferCodings.last == "chunked" else {
                return .fail(.invalidTransferEncoding("chunked must be the final coding"))
            }
            if head.transferCodings.count > 1 {
                let other = head.transferCodings.dropLast().first { $0 != "chunked" }
                guard let other else { return .fail(.invalidTransferEncoding("chunked applied twice")) }
                return .fail(.unsupportedTransferCoding(other))
            }
            chunked = true
        }
        let length = head.contentLength ?? 0
        if length > limits.maxBodyBytes { return .fail(.contentTooLarge(limit: limits.maxBodyBytes)) }
        // RFC 9110 §10.1.1: an HTTP/1.0 client cannot expect; its Expect is ignored.
        if isHTTP11, let other = head.otherExpectation { return .fail(.unsupportedExpectation(other)) }
        let expectsContinue = isHTTP11 && head.expectContinue && bufferedByteCount == 0
        // Before any of the body is read (or 100 Continue sent): a chunked body may grow to the limit.
        do throws(RequestError) {
            try reserveBody(chunked ? limits.maxBodyBytes : length)
        } catch {
            return .fail(error)
        }
        if chunked {
            phase = .chunkSize
        } else if length > 0 {
            body.reserveCapacity(length)
            phase = .body(remaining: length)
        } else {
            return complete()
        }
        return expectsContinue ? .output(.continueExpected) : .again
    }
}

extension RequestParser.HeadFacts {
    /// Records what a field means for framing; an error if its value is unusable.
    mutating func note(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) -> RequestError? {
        // The length test first keeps the common, uninteresting fields cheap.
        switch name.count {
        case 4 where HTTPSyntax.equalsIgnoringCase(name, "host"):
            hostCount += 1
        case 6 where HTTPSyntax.equalsIgnoringCase(name, "expect"):
            if HTTPSyntax.equalsIgnoringCase(value, "100-continue") {
                expectContinue = true
            } else {
                otherExpectation = String(decoding: value, as: UTF8.self)
            }
        case 12 where HTTPSyntax.equalsIgnoringCase(name, "content-type"):
            // Two media types cannot both describe one body (RFC 9110 §8.3): never "first wins".
            if sawContentType { return .repeatedField("Content-Type") }
            sawContentType = true
        case 13 where HTTPSyntax.equalsIgnoringCase(name, "authorization"):
            // Two credentials are ambiguous (RFC 9110 §11.6.2 allows one).
            if sawAuthorization { return .repeatedField("Authorization") }
            sawAuthorization = true
        case 10 where HTTPSyntax.equalsIgnoringCase(name, "connection"):
            HTTPSyntax.forEachListElement(value) { option in
                if HTTPSyntax.equalsIgnoringCase(option, "close") { connectionClose = true }
                if HTTPSyntax.equalsIgnoringCase(option, "keep-alive") { connectionKeepAlive = true }
            }
        case 14 where HTTPSyntax.equalsIgnoringCase(name, "content-length"):
            return noteContentLength(value)
        case 17 where HTTPSyntax.equalsIgnoringCase(name, "transfer-encoding"):
            var invalid = false
            HTTPSyntax.forEachListElement(value) { coding in
                // A coding may carry parameters (`gzip;q=1`); its name is the token before them.
                var end = 0
                while end < coding.count, HTTPSyntax.isTokenChar(coding[end]) { end += 1 }
                if end == 0 { invalid = true; return }
                transferCodings.append(String(decoding: UnsafeBufferPointer(rebasing: coding[..<end]), as: UTF8.self).lowercased())
            }
            if invalid || transferCodings.isEmpty { return .invalidTransferEncoding("not a list of codings") }
        default:
            break
        }
        return nil
    }

    /// `Content-Length = 1*DIGIT`; a list or repeated field is accepted only if every
    /// value is the same (RFC 9112 §6.3).
    private mutating func noteContentLength(_ value: UnsafeBufferPointer<UInt8>) -> RequestError? {
        var failed = false
        var sawElement = false
        HTTPSyntax.forEachListElement(value) { element in
            sawElement = true
            var number = 0
            for byte in element {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), number <= (Int.max - 9) / 10 else {
                    failed = true
                    return
                }
                number = number * 10 + Int(byte - UInt8(ascii: "0"))
            }
            if let known = contentLength, known != number { failed = true }
            contentLength = number
        }
        // Empty elements (`5,,5`) are tolerated by the list rule, an empty value is not.
        if failed || !sawElement { return .invalidContentLength }
        return nil
    }
}
