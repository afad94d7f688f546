/// Every bound the transport puts on a client, in one value.
///
/// A client that passes one is answered with a problem body where HTTP still allows an
/// answer (the status is named on each limit), and the connection is closed after it.
public struct HTTPLimits: Sendable, Equatable {
    /// The longest request line, CRLF excluded, in bytes. Longer: `414 URI Too Long`.
    /// Also bounds one chunk-size line of a chunked body (longer: `400`).
    /// Default 8 KiB (8192).
    public var maxRequestLineBytes: Int
    /// The most bytes of header field lines after the request line, CRLFs and the empty
    /// line included. Larger: `431 Request Header Fields Too Large`. Also bounds the trailer
    /// section of a chunked body. Default 16 KiB (16384).
    public var maxHeaderBytes: Int
    /// The most header field lines in one request (and trailer lines in one chunked body).
    /// More: `431`. Default 100.
    public var maxHeaderCount: Int
    /// The largest request body after transfer decoding, in bytes. Larger: `413 Content Too
    /// Large`, sent before any of the body is read when `Content-Length` declares it.
    /// Default 64 KiB (65536).
    public var maxBodyBytes: Int
    /// How long a client may take to send a request head, counted from the connection's
    /// start or the request's first byte. Longer: `408 Request Timeout`, then close.
    /// Default 10 seconds.
    public var headerTimeout: Duration
    /// How long a client may take to send a request body once its head is in. Longer:
    /// `408 Request Timeout`, then close. Default 30 seconds.
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may wait for its next request, and how long a
    /// response may sit in the send queue without any byte leaving. Longer: the connection
    /// is closed without an answer. Default 60 seconds.
    public var idleTimeout: Duration
    /// The most bytes a streamed response may have queued and unsent (the peer reads too
    /// slowly or not at all). More: the stream is closed and its `onClose` handlers run.
    /// Default 1 MiB (1_048_576).
    public var maxStreamOutputBytes: Int
    /// The most bytes an ordinary (not streamed) response may have queued and unsent. More:
    /// the connection is closed. Larger than any answer a well-behaved client waits for (the
    /// whole body is queued at once, so this bounds the largest answer a slow reader gets).
    /// Default 64 MiB (67_108_864).
    public var maxResponseOutputBytes: Int
    /// The most bytes all connections together may have queued and unsent, responses and
    /// streams alike. A connection whose output would pass it is closed (a stream is cut as for
    /// its own limit), so clients that do not read cannot take the server's memory between
    /// them. Default 256 MiB (268_435_456).
    public var maxTotalOutputBytes: Int
    /// The most bytes of request bodies all connections together may be receiving: a body's
    /// declared length (a chunked body's: `maxBodyBytes`) is reserved when its head is in and
    /// given back once it is delivered. A body that would pass it is answered `503 Service
    /// Unavailable` with `Retry-After` before any of it is read, and the connection closed.
    /// Default 64 MiB (67_108_864).
    public var maxTotalBodyBytes: Int
    /// The last bytes of `maxTotalBodyBytes` that only bodies of at most 4 KiB may take (at most
    /// a quarter of it): parked large bodies, from however many clients, cannot refuse a small
    /// post. 0: none. Default 8 MiB (8_388_608).
    public var smallBodyReserveBytes: Int
    /// The most open connections. At the limit a newcomer is still served when some connection
    /// is idle: the idlest connection of the client holding the most connections is closed to
    /// make room. When none is idle, one more is answered `503 Service Unavailable` and closed.
    /// Default 10_000.
    public var maxConnections: Int
    /// The most connections one client (an IPv4 address, an IPv6 /64; see `ClientID`) may hold
    /// open. One more is answered `429 Too Many Requests` with `Retry-After` and closed.
    /// Connections from a trusted proxy are not counted. 0: no bound. Default 256.
    public var maxConnectionsPerClient: Int
    /// The most idle connections one client may hold that have not sent a request yet (opened,
    /// then silent for `ClientTable.silenceGrace`, 2 s, so a client opening many at once is not
    /// cut off before it sends). One more makes the idlest of them close, without an answer, as the header
    /// timeout would. Kept-alive connections that have served requests are left to
    /// `idleTimeout` and to the shedding at `maxConnections`: their client may be sending on
    /// one just as it closes, and that request would be lost. 0: no bound. Default 32.
    public var maxIdleConnectionsPerClient: Int
    /// The most streamed responses one client (behind a trusted proxy, the client it names) may
    /// hold open. One more is answered `429 Too Many Requests` instead of starting, with
    /// `Retry-After`. 0: no bound. Default 256.
    public var maxStreamsPerClient: Int
    /// The most bytes of request bodies one client's connections may be receiving at once, of
    /// `maxTotalBodyBytes` (reserved and given back the same way), so that parking bodies fills
    /// the budget only from many addresses. A body past it is answered `429 Too Many Requests`
    /// with `Retry-After` before it is read, and the connection closed. Connections from a
    /// trusted proxy are not counted (nginx receives a body whole before it forwards it).
    /// 0: no bound. Default 1 MiB (1_048_576): sixteen bodies of the largest size at once.
    public var maxBodyBytesPerClient: Int
    /// After the server's last answer on a connection it half-closes and discards what the
    /// client still sends, for at most this long, so the client reads the answer rather than
    /// a reset. Default 2 seconds.
    public var lingerTimeout: Duration
    /// When shutdown begins, a kept-alive connection with no request in progress stays open
    /// this long: a request the client had already sent (still on the wire) is answered `503`
    /// with `Connection: close` instead of meeting a reset, then the connection closes.
    /// Default 200 milliseconds.
    public var shutdownGrace: Duration

    /// Limits with the documented defaults, any of which can be overridden.
    public init(
        maxRequestLineBytes: Int = 8 * 1024,
        maxHeaderBytes: Int = 16 * 1024,
        maxHeaderCount: Int = 100,
        maxBodyBytes: Int = 64 * 1024,
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        maxStreamOutputBytes: Int = 1024 * 1024,
        maxResponseOutputBytes: Int = 64 * 1024 * 1024,
        maxTotalOutputBytes: Int = 256 * 1024 * 1024,
        maxTotalBodyBytes: Int = 64 * 1024 * 1024,
        smallBodyReserveBytes: Int = 8 * 1024 * 1024,
        maxConnections: Int = 10_000,
        maxConnectionsPerClient: Int = 256,
        maxIdleConnectionsPerClient: Int = 32,
        maxStreamsPerClient: Int = 256,
        maxBodyBytesPerClient: Int = 1024 * 1024,
        lingerTimeout: Duration = .seconds(2),
        shutdownGrace: Duration = .milliseconds(200)
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxStreamOutputBytes = maxStreamOutputBytes
        self.maxResponseOutputBytes = maxResponseOutputBytes
        self.maxTotalOutputBytes = maxTotalOutputBytes
        self.maxTotalBodyBytes = maxTotalBodyBytes
        self.smallBodyReserveBytes = smallBodyReserveBytes
        self.maxConnections = maxConnections
        self.maxConnectionsPerClient = maxConnectionsPerClient
        self.maxIdleConnectionsPerClient = maxIdleConnectionsPerClient
        self.maxStreamsPerClient = maxStreamsPerClient
        self.maxBodyBytesPerClient = maxBodyBytesPerClient
        self.lingerTimeout = lingerTimeout
        self.shutdownGrace = shutdownGrace
    }
}
