import EventLoop

/// Posts the fan-out scenario's messages, on shard 0's loop: each lobby gets its messages in
/// index order over a few connections, at a set rate or as fast as the server takes them
/// (then at most `window` messages per lobby are out that not every subscriber has yet; one
/// that stays undelivered for the stall timeout stops counting against the window).
/// Each message's content carries its index and its send time:
/// `cb-<nonce>-<index>-<monotonic ns>-xxxx…`.
final class FanoutPublisher: RequestConnectionDelegate {
    /// One lobby's posting.
    private struct Lobby {
        /// The post's line and headers, the poster's credential among them, encoded once.
        var request: JSONRequestTemplate
        /// `{"userId":"<poster>","message":`, to which each post adds its content and `}`.
        var bodyPrefix: String
        var connections: [RequestConnection] = []
        var nextIndex = 0
        var fullyDelivered = 0
        /// When `fullyDelivered` last moved (or posting started).
        var progressAt: UInt64 = 0
        var stopped = false
    }

    private let address: LoopbackAddress
    private let ledger: FanoutLedger
    private let nonce: String
    private let ratePerLobby: Double?
    private let window: Int
    private let messageBytes: Int
    private let connectionsPerLobby: Int
    private let stallNanoseconds: UInt64
    private var lobbies: [Lobby]
    private var startedAt: UInt64 = 0
    private var stopPostingAt: UInt64 = 0

    /// Posts answered 201.
    private(set) var posted = 0
    /// Posts answered otherwise, or whose connection broke.
    private(set) var errors = 0
    private(set) var firstError: String?
    private(set) var firstSentAt = UInt64.max
    private(set) var lastAnsweredAt: UInt64 = 0
    /// True once every lobby has all its messages posted and answered.
    private(set) var isFinished = false

    /// A publisher for `rooms`, posting as `posters` (one per room, each a member).
    init(address: LoopbackAddress, ledger: FanoutLedger, nonce: String, rooms: [String], posters: [ChatUser],
         ratePerLobby: Double?, window: Int, messageBytes: Int, connectionsPerLobby: Int, stallTimeout: Double) {
        self.address = address
        self.ledger = ledger
        self.nonce = nonce
        self.ratePerLobby = ratePerLobby
        self.window = max(1, window)
        self.messageBytes = messageBytes
        self.connectionsPerLobby = max(1, connectionsPerLobby)
        stallNanoseconds = UInt64(stallTimeout * 1e9)
        lobbies = zip(rooms, posters).map { room, poster in
            Lobby(request: JSONRequestTemplate("POST", "/chat/\(room)/message", host: address.hostHeader, headers: poster.credentialHeaders),
                  bodyPrefix: "{\(RequestBytes.jsonString("userId")):\(RequestBytes.jsonString(poster.id)),\(RequestBytes.jsonString("message")):")
        }
    }

    /// Connects on `loop`; posting starts at the first `tick`, and stops after `maxSeconds`.
    func connect(on loop: EventLoop, maxSeconds: Double) throws {
        for lobby in lobbies.indices {
            for _ in 0..<connectionsPerLobby {
                lobbies[lobby].connections.append(try RequestConnection(address: address, loop: loop, delegate: self))
            }
        }
        startedAt = System.monotonicNanoseconds()
        stopPostingAt = startedAt + UInt64(maxSeconds * 1e9)
        for lobby in lobbies.indices { lobbies[lobby].progressAt = startedAt }
    }

    /// Sends whatever the schedule or the window allows now.
    func tick(now: UInt64) {
        guard !isFinished else { return }
        for lobby in lobbies.indices { post(lobby, now: now) }
        if lobbies.allSatisfy({ $0.stopped && $0.connections.allSatisfy { !$0.isBusy } }) {
            isFinished = true
            ledger.finishPublishing(posted: lobbies.map(\.nextIndex), at: System.monotonicNanoseconds())
        }
    }

    private func post(_ lobby: Int, now: UInt64) {
        while !lobbies[lobby].stopped {
            let index = lobbies[lobby].nextIndex
            // After many failed posts the server is gone or refusing: stop rather than spin.
            if index >= ledger.messagesPerLobby || now >= stopPostingAt || errors >= 100 {
                lobbies[lobby].stopped = true
                return
            }
            if let rate = ratePerLobby {
                // Lobbies are offset evenly within one period so their posts interleave.
                let offset = Double(lobby) / Double(lobbies.count) / rate
                let due = startedAt + UInt64((Double(index) / rate + offset) * 1e9)
                if now < due { return }
            } else {
                while lobbies[lobby].fullyDelivered < index && ledger.isFullyDelivered(lobby: lobby, index: lobbies[lobby].fullyDelivered) {
                    lobbies[lobby].fullyDelivered += 1
                    lobbies[lobby].progressAt = now
                }
                if index - lobbies[lobby].fullyDelivered >= window {
                    // A message some subscriber never gets must not stall the run: after the
                    // timeout it leaves the window (and is reported lost at the end).
                    guard now > lobbies[lobby].progressAt + stallNanoseconds else { return }
                    lobbies[lobby].fullyDelivered += 1
                    lobbies[lobby].progressAt = now
                }
            }
            guard let connection = lobbies[lobby].connections.first(where: { !$0.isBusy }) else { return }
            lobbies[lobby].nextIndex += 1
            send(lobby, index: index, on: connection)
        }
    }

    private func send(_ lobby: Int, index: Int, on connection: RequestConnection) {
        let sentAt = System.monotonicNanoseconds()
        var content = "cb-\(nonce)-\(index)-\(sentAt)-"
        if content.utf8.count < messageBytes { content += String(repeating: "x", count: messageBytes - content.utf8.count) }
        let request = lobbies[lobby].request.request(json: lobbies[lobby].bodyPrefix + RequestBytes.jsonString(content) + "}")
        if sentAt < firstSentAt { firstSentAt = sentAt }
        connection.send(request, now: sentAt)
    }

    /// Closes the connections.
    func close() {
        for lobby in lobbies { for connection in lobby.connections { connection.close() } }
    }

    func connection(_ connection: RequestConnection, didReceive status: Int, sentAt: UInt64, now: UInt64) {
        lastAnsweredAt = max(lastAnsweredAt, now)
        if status == 201 {
            posted += 1
        } else {
            errors += 1
            if firstError == nil { firstError = "a post answered \(status)" }
        }
        tick(now: now)
    }

    func connection(_ connection: RequestConnection, didFail error: any Error, now: UInt64) {
        errors += 1
        if firstError == nil { firstError = "a post failed: \(error)" }
    }
}
