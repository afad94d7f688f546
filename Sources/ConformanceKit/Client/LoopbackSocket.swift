/// One TCP connection to the server under test. Every wait has a deadline; the descriptor is
/// closed when the socket is released (or by `close()`).
final class LoopbackSocket {
    /// What one receive produced.
    enum Received: Equatable {
        case bytes([UInt8])
        /// The server closed its side.
        case endOfStream
        case timedOut
    }

    private var descriptor: Int32?

    /// Connects to `url` within `timeout` seconds.
    init(connectingTo url: BaseURL, timeout: Double) throws(ClientError) {
        do {
            descriptor = try System.connect(host: url.host, port: url.port, milliseconds: Int(timeout * 1000))
        } catch {
            throw .connect(url, error)
        }
    }

    deinit { close() }

    /// Closes the connection (idempotent).
    func close() {
        if let descriptor { System.close(descriptor) }
        descriptor = nil
    }

    /// Sends `bytes` before `deadline`. Stops early, without error, when the server answers
    /// first or closes its side: a server may reject a request before reading all of its
    /// body, and the answer is what the caller wants to see.
    func send(_ bytes: [UInt8], deadline: Deadline) throws(ClientError) {
        guard let descriptor else { throw .closedEarly(waitingFor: "the request to be sent") }
        var offset = 0
        for _ in 0..<1_000_000 {
            if offset >= bytes.count { return }
            let readiness: Readiness
            do throws(SystemCallError) {
                if let sent = try System.send(descriptor, bytes[offset...]) {
                    offset += sent
                    continue
                }
                readiness = try System.wait(descriptor, forWriting: true, milliseconds: deadline.remainingMilliseconds)
            } catch where error.isPeerGone {
                return
            } catch {
                throw .io(error)
            }
            switch readiness {
            case .readable: return
            case .writable: continue
            case .timedOut: throw .timedOut(waitingFor: "the server to take the request bytes")
            }
        }
    }

    /// Waits until bytes arrive, the server closes, or `deadline` passes.
    func receive(deadline: Deadline) throws(ClientError) -> Received {
        guard let descriptor else { return .endOfStream }
        do throws(SystemCallError) {
            for _ in 0..<1_000_000 {
                if let bytes = try System.read(descriptor, capacity: 16 * 1024) {
                    return bytes.isEmpty ? .endOfStream : .bytes(bytes)
                }
                if try System.wait(descriptor, milliseconds: deadline.remainingMilliseconds) == .timedOut {
                    return .timedOut
                }
            }
            return .timedOut
        } catch where error.isPeerGone {
            return .endOfStream
        } catch {
            throw .io(error)
        }
    }
}
