/// Hears what happens on the event streams of one loop; `index` says which stream.
protocol StreamConnectionDelegate: AnyObject {
    /// The stream answered 200 `text/event-stream` and sent its opening comment.
    func streamDidOpen(_ index: Int, now: UInt64)
    /// One event, its data valid only during the call.
    func stream(_ index: Int, didReceiveEventWithId id: Int?, data: UnsafeRawBufferPointer, now: UInt64)
    /// The stream is over (the tool closing it on purpose is not reported).
    func stream(_ index: Int, didEnd reason: StreamEnd, now: UInt64)
}

/// One `GET /events/{room}` stream: sends the request as soon as it connects, checks the head,
/// then parses the body as an event stream.
final class StreamConnection: LoopHandler {
    private enum Phase { case awaitingHead, awaitingOpening, open, rejected(Int), ended }

    /// The caller's number for this stream.
    let index: Int
    private unowned let loop: EventLoop
    private unowned let delegate: any StreamConnectionDelegate
    private let socket: ClientSocket
    private var phase = Phase.awaitingHead
    private var responseParser = ResponseParser()
    private var eventParser = EventStreamParser()
    private var rejectionBody: [UInt8] = []

    /// Connects to `address` and sends `request` (a complete GET) once connected.
    init(index: Int, address: LoopbackAddress, request: [UInt8], loop: EventLoop, delegate: any StreamConnectionDelegate) throws {
        self.index = index
        self.loop = loop
        self.delegate = delegate
        socket = try ClientSocket(to: address)
        try loop.register(socket.descriptor, for: self)
        try socket.send(request)
    }

    /// True once the stream has opened and not ended.
    var isOpen: Bool {
        if case .open = phase { return true }
        return false
    }

    /// Closes the connection without reporting it.
    func close() {
        phase = .ended
        socket.close()
    }

    func handle(events: UInt32, now: UInt64) {
        guard !socket.isClosed else { return }
        do {
            let closedByServer = try socket.service(events: events, buffer: loop.readBuffer) { bytes in
                try consume(bytes, now: now)
            }
            if closedByServer {
                if case .rejected(let status) = phase {
                    end(.rejected(status: status, body: String(decoding: rejectionBody.prefix(200), as: UTF8.self)), now: now)
                } else {
                    end(.closedByServer, now: now)
                }
            }
        } catch let end as StreamEnd {
            self.end(end, now: now)
        } catch {
            end(.failed("\(error)"), now: now)
        }
    }

    private var isRejected: Bool {
        if case .rejected = phase { return true }
        return false
    }

    private func consume(_ bytes: UnsafeRawBufferPointer, now: UInt64) throws {
        var finished = false
        var parseError: (any Error)?
        try responseParser.parse(bytes) { event in
            switch event {
            case .head(let head):
                phase = head.status == 200 && head.isEventStream ? .awaitingOpening : .rejected(head.status)
            case .body(let body):
                if isRejected {
                    rejectionBody.append(contentsOf: body.prefix(200))
                } else if parseError == nil {
                    do { try eventParser.parse(body) { self.handle($0, now: now) } } catch { parseError = error }
                }
            case .end:
                finished = true
            }
        }
        if let parseError { throw StreamEnd.failed("\(parseError)") }
        if finished {
            if case .rejected(let status) = phase {
                throw StreamEnd.rejected(status: status, body: String(decoding: rejectionBody.prefix(200), as: UTF8.self))
            }
            throw StreamEnd.closedByServer
        }
    }

    private func handle(_ item: EventStreamParser.Item, now: UInt64) {
        if case .awaitingOpening = phase {
            phase = .open
            delegate.streamDidOpen(index, now: now)
        }
        if case .event(let id, let data) = item {
            delegate.stream(index, didReceiveEventWithId: id, data: data, now: now)
        }
    }

    private func end(_ reason: StreamEnd, now: UInt64) {
        if case .ended = phase { return }
        phase = .ended
        socket.close()
        delegate.stream(index, didEnd: reason, now: now)
    }
}
