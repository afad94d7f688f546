import EventLoop

/// A plain client for setting a run up (users, lobbies, joins) and for one-off calls: one
/// keep-alive connection, one request at a time, every wait bounded by `timeout`. Not for
/// load: it waits in `poll` on the calling thread.
final class SetupClient {
    /// A request did not finish in time, or the connection broke.
    enum Failure: Error, CustomStringConvertible {
        case timedOut(String)
        case closed(String)
        var description: String {
            switch self {
            case .timedOut(let request): "no complete answer to \(request) within the timeout"
            case .closed(let request): "the server closed the connection during \(request)"
            }
        }
    }

    private let address: LoopbackAddress
    private let timeoutMilliseconds: Int
    private var socket: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

    /// A client for `address`; connects on the first request.
    init(address: LoopbackAddress, timeout: Double) {
        self.address = address
        timeoutMilliseconds = Int(timeout * 1000)
    }

    deinit { if socket >= 0 { System.discard(socket) } }

    /// Sends one request and returns the status and body of its answer.
    func request(_ method: String, _ path: String, json body: String? = nil, headers: [(String, String)] = []) throws -> (status: Int, body: [UInt8]) {
        let name = "\(method) \(path)"
        let deadline = System.monotonicNanoseconds() + UInt64(timeoutMilliseconds) * 1_000_000
        if socket < 0 { try connect(name, deadline: deadline) }
        let bytes = RequestBytes.make(method, path, host: address.hostHeader, headers: headers, json: body)
        do {
            try write(bytes, name, deadline: deadline)
            return try readResponse(name, deadline: deadline)
        } catch {
            System.discard(socket)
            socket = -1
            throw error
        }
    }

    private func remaining(_ deadline: UInt64, _ name: String) throws -> Int32 {
        let now = System.monotonicNanoseconds()
        guard now < deadline else { throw Failure.timedOut(name) }
        return Int32(clamping: (deadline - now) / 1_000_000 + 1)
    }

    private func connect(_ name: String, deadline: UInt64) throws {
        socket = try System.makeStreamSocket(family: address.family)
        if try !System.connect(socket, to: address) {
            guard try System.waitUntilWritable(socket, milliseconds: try remaining(deadline, name)) else { throw Failure.timedOut(name) }
            let code = System.pendingError(socket)
            guard code == 0 else { throw SystemError(call: "connect", errno: code) }
        }
    }

    private func write(_ bytes: [UInt8], _ name: String, deadline: UInt64) throws {
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { try System.send(socket, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case .processed(let count): offset += count
            case .wouldBlock: _ = try System.waitUntilWritable(socket, milliseconds: try remaining(deadline, name))
            }
        }
    }

    private func readResponse(_ name: String, deadline: UInt64) throws -> (status: Int, body: [UInt8]) {
        var parser = ResponseParser()
        var status = 0
        var body: [UInt8] = []
        var complete = false
        var closes = false
        while !complete {
            let result = try buffer.withUnsafeMutableBytes { try System.read(socket, into: $0) }
            switch result {
            case .processed(0):
                throw Failure.closed(name)
            case .processed(let count):
                try buffer.withUnsafeBytes { raw in
                    try parser.parse(UnsafeRawBufferPointer(rebasing: raw[0..<count])) { event in
                        switch event {
                        case .head(let head): status = head.status; closes = head.closesConnection
                        case .body(let bytes): body.append(contentsOf: bytes)
                        case .end: complete = true
                        }
                    }
                }
            case .wouldBlock:
                _ = try System.waitUntilReadable(socket, milliseconds: try remaining(deadline, name))
            }
        }
        if closes {
            System.discard(socket)
            socket = -1
        }
        return (status, body)
    }
}
