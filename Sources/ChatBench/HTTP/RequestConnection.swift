/// Hears what becomes of the requests a `RequestConnection` sends.
protocol RequestConnectionDelegate: AnyObject {
    /// A complete response (its body read and dropped) to the request sent at `sentAt`
    /// (monotonic nanoseconds).
    func connection(_ connection: RequestConnection, didReceive status: Int, sentAt: UInt64, now: UInt64)
    /// The request in flight failed (the connection broke); the connection reconnects on its
    /// next `send`.
    func connection(_ connection: RequestConnection, didFail error: any Error, now: UInt64)
}

/// One keep-alive HTTP/1.1 connection that sends one request at a time (no pipelining) and
/// reports each response's status; if the server closes it, the next `send` opens a new socket.
final class RequestConnection: LoopHandler {
    /// True from `send` until the response or failure is reported.
    private(set) var isBusy = false
    /// How many times a new socket had to be opened after the first.
    private(set) var reconnects = 0

    private unowned let loop: EventLoop
    private let address: LoopbackAddress
    private weak var delegate: (any RequestConnectionDelegate)?
    private var socket: ClientSocket?
    private var parser = ResponseParser()
    private var status = 0
    private var closesAfterResponse = false
    private var sentAt: UInt64 = 0

    /// A connection on `loop`; connects at once.
    init(address: LoopbackAddress, loop: EventLoop, delegate: any RequestConnectionDelegate) throws {
        self.address = address
        self.loop = loop
        self.delegate = delegate
        try open()
    }

    private func open() throws {
        let socket = try ClientSocket(to: address)
        try loop.register(socket.descriptor, for: self)
        self.socket = socket
    }

    /// Sends one complete request, `now` being its send time. Must not be busy.
    func send(_ request: [UInt8], now: UInt64) {
        precondition(!isBusy, "one request at a time")
        isBusy = true
        sentAt = now
        do {
            if socket == nil || socket?.isClosed == true {
                try open()
                parser = ResponseParser()
                reconnects += 1
            }
            try socket?.send(request)
        } catch {
            fail(error, now: now)
        }
    }

    /// Closes the socket; a request in flight is dropped without a report.
    func close() {
        socket?.close()
        isBusy = false
    }

    func handle(events: UInt32, now: UInt64) {
        guard let socket, !socket.isClosed else { return }
        do {
            let closedByServer = try socket.service(events: events, buffer: loop.readBuffer) { bytes in
                try parser.parse(bytes) { event in self.handle(event, now: now) }
            }
            if closedByServer {
                socket.close()
                if isBusy { fail(ConnectionClosed(), now: now) }
            }
        } catch {
            socket.close()
            if isBusy { fail(error, now: now) }
        }
    }

    private func handle(_ event: ResponseParser.Event, now: UInt64) {
        switch event {
        case .head(let head):
            status = head.status
            closesAfterResponse = head.closesConnection
        case .body:
            break
        case .end:
            if closesAfterResponse { socket?.close() }
            isBusy = false
            delegate?.connection(self, didReceive: status, sentAt: sentAt, now: now)
        }
    }

    private func fail(_ error: any Error, now: UInt64) {
        socket?.close()
        isBusy = false
        delegate?.connection(self, didFail: error, now: now)
    }
}
