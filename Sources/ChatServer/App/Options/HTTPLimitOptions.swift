import ArgumentParser
import HTTPServer

/// The HTTP transport's limits (`HTTPLimits`), each defaulting to the documented value there.
struct HTTPLimitOptions: ParsableArguments {
    private static let defaults = HTTPLimits()

    @Option(help: "Longest request line (414 past it).")
    var maxRequestLineBytes = Self.defaults.maxRequestLineBytes

    @Option(help: "Largest header block (431 past it).")
    var maxHeaderBytes = Self.defaults.maxHeaderBytes

    @Option(help: "Most header fields in a request (431 past it).")
    var maxHeaderCount = Self.defaults.maxHeaderCount

    @Option(help: "Largest request body (413 past it).")
    var maxBodyBytes = Self.defaults.maxBodyBytes

    @Option(help: "Time a client has to send a request head (408 past it).")
    var headerTimeout = Self.defaults.headerTimeout.seconds

    @Option(help: "Time a kept-alive connection may wait for its next request.")
    var idleTimeout = Self.defaults.idleTimeout.seconds

    @Option(help: "Unsent output a stream may queue before it is closed.")
    var maxStreamOutputBytes = Self.defaults.maxStreamOutputBytes

    @Option(help: "Unsent output an ordinary response may queue before its connection is closed.")
    var maxResponseOutputBytes = Self.defaults.maxResponseOutputBytes

    @Option(help: "Unsent output all connections together may queue; past it, the connection that passes it is closed.")
    var maxTotalOutputBytes = Self.defaults.maxTotalOutputBytes

    @Option(help: "Bytes of request bodies all connections together may be receiving; a body past it is answered 503 before it is read.")
    var maxTotalBodyBytes = Self.defaults.maxTotalBodyBytes

    @Option(help: "The last bytes of --max-total-body-bytes only bodies of at most 4 KiB may take (at most a quarter of it); 0 is none.")
    var smallBodyReserveBytes = Self.defaults.smallBodyReserveBytes

    @Option(help: "Most open connections; at it, the idlest connection of the client holding the most makes room, else 503.")
    var maxConnections = Self.defaults.maxConnections

    func validate() throws {
        for (name, value) in [("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout)] where !(value > 0) {
            throw ValidationError("\(name) must be positive")
        }
        for (name, value) in [("--max-request-line-bytes", maxRequestLineBytes), ("--max-header-bytes", maxHeaderBytes),
                              ("--max-header-count", maxHeaderCount), ("--max-body-bytes", maxBodyBytes),
                              ("--max-stream-output-bytes", maxStreamOutputBytes), ("--max-response-output-bytes", maxResponseOutputBytes),
                              ("--max-total-output-bytes", maxTotalOutputBytes), ("--max-total-body-bytes", maxTotalBodyBytes),
                              ("--max-connections", maxConnections)]
        where value < 1 {
            throw ValidationError("\(name) must be positive")
        }
        if smallBodyReserveBytes < 0 { throw ValidationError("--small-body-reserve-bytes must not be negative") }
    }

    /// Sets these limits; the others keep their defaults.
    func apply(to limits: inout HTTPLimits) {
        limits.maxRequestLineBytes = maxRequestLineBytes
        limits.maxHeaderBytes = maxHeaderBytes
        limits.maxHeaderCount = maxHeaderCount
        limits.maxBodyBytes = maxBodyBytes
        limits.headerTimeout = .seconds(headerTimeout)
        limits.idleTimeout = .seconds(idleTimeout)
        limits.maxStreamOutputBytes = maxStreamOutputBytes
        limits.maxResponseOutputBytes = maxResponseOutputBytes
        limits.maxTotalOutputBytes = maxTotalOutputBytes
        limits.maxTotalBodyBytes = maxTotalBodyBytes
        limits.smallBodyReserveBytes = smallBodyReserveBytes
        limits.maxConnections = maxConnections
    }
}
