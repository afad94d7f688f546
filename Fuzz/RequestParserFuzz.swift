// libFuzzer entry point for the request parser. Built by Fuzz/run.sh together with the
// parser's sources (Sources/HTTPServer/Parser, Messages, Configuration/HTTPLimits.swift):
// the parser has no dependency on sockets, Dispatch or Foundation.

/// Small limits, so the fuzzer reaches every limit check with short inputs.
private let limits = HTTPLimits(
    maxRequestLineBytes: 256,
    maxHeaderBytes: 512,
    maxHeaderCount: 8,
    maxBodyBytes: 1024
)

/// Feeds the input in pieces whose sizes come from its first byte, drains the parser after
/// each piece, and checks what comes out against the limits it was given.
@_cdecl("LLVMFuzzerTestOneInput")
public func requestParserFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let pieceSize = Int(input[0] % 32) + 1
    var parser = RequestParser(limits: limits)
    var offset = 1
    while offset < size {
        let end = min(size, offset + pieceSize)
        parser.append(UnsafeBufferPointer(rebasing: input[offset..<end]))
        offset = end
        while true {
            switch parser.next() {
            case .request(let request, _):
                precondition(request.body.count <= limits.maxBodyBytes, "body over the limit")
                precondition(request.headers.count <= limits.maxHeaderCount, "too many fields")
                precondition(!request.method.isEmpty && !request.target.isEmpty, "empty method or target")
                precondition(request.version.major == 1, "unsupported version accepted")
                continue
            case .continueExpected:
                continue
            case .needMore:
                break
            case .failure(let error):
                precondition((400...599).contains(error.status.code), "error without a 4xx/5xx status")
                _ = ProblemEncoder.unconfigured.json(error.problem)
                return 0
            }
            break
        }
        // Buffered, unconsumed input is bounded by the largest head plus one piece.
        precondition(
            parser.bufferedByteCount <= limits.maxRequestLineBytes + limits.maxHeaderBytes + limits.maxBodyBytes + 64,
            "unbounded buffering"
        )
    }
    return 0
}
