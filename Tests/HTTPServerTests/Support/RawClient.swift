import Glibc
import HTTPServer

/// A minimal blocking HTTP/1.1 client over a raw socket, for tests. Every read waits at
/// most `timeout`, so no test can hang.
///
/// `@unchecked Sendable`: a test hands it to another thread (`offPool`) but uses it from one
/// thread at a time, awaiting each hand-off.
final class RawClient: @unchecked Sendable {
    /// A parsed response.
    struct Response {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum Failure: Error {
        case connect(Int32)
        case timedOut
        case closed
        case malformed(String)
    }

    let socket: Int32
    /// Received and not yet consumed.
    private var pending: [UInt8] = []
    private(set) var isPeerClosed = false
    /// Every byte read from the socket so far.
    private(set) var receivedByteCount = 0

    /// Connects to `host:port`, from the IPv4 loopback address `source` when given (another
    /// client, as the server's per-client bounds see it); `receiveBuffer` shrinks `SO_RCVBUF` first.
    init(port: Int, host: String = "127.0.0.1", source: String? = nil, receiveBuffer: Int32? = nil) throws {
        let isIPv6 = host.contains(":")
        // Close-on-exec: a child process (the conformance suite starts servers) must not keep
        // a copy that holds the connection open after this client closes it.
        // A local until connected: were `socket` set and the init then threw, `deinit` would
        // close it a second time, and by then the number may be another test's socket.
        let socket = Glibc.socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(socket, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound != 0 {
                let code = errno
                Glibc.close(socket)
                throw Failure.connect(code)
            }
        }
        var result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if result != 0 {
            let code = errno
            Glibc.close(socket)
            throw Failure.connect(code)
        }
        self.socket = socket
    }

    deinit { Glibc.close(socket) }

    /// Makes the coming close a reset (RST) instead of an orderly FIN.
    func resetOnClose() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(socket, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
    }

    /// Sends everything (blocking); false if the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Shuts the sending direction.
    func shutdownWrite() { Glibc.shutdown(socket, Int32(SHUT_WR)) }

    /// Reads one chunk into `pending`; false on EOF or reset.
    private func fill(deadline: ContinuousClock.Instant) throws -> Bool {
        if isPeerClosed { return false }
        let remaining = deadline - .now
        guard remaining > .zero else { throw Failure.timedOut }
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000) + 1
        let ready = poll(&poller, 1, milliseconds)
        if ready == 0 { throw Failure.timedOut }
        if ready < 0 { if errno == EINTR { return true }; throw Failure.closed }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
        if count <= 0 {
            isPeerClosed = true
            return false
        }
        pending.append(contentsOf: buffer[..<count])
        receivedByteCount += count
        return true
    }

    /// Reads one response; `isHead` says it has no body whatever its Content-Length.
    func readResponse(isHead: Bool = false, timeout: Duration = .seconds(3)) throws -> Response {
        let deadline = ContinuousClock.now + timeout
        var headEnd: Int?
        while true {
            if let index = findHeadEnd() { headEnd = index; break }
            if try !fill(deadline: deadline) { throw Failure.closed }
        }
        let head = String(decoding: pending[..<headEnd!], as: UTF8.self)
        pending.removeFirst(headEnd! + 4)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
            throw Failure.malformed(head)
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        var response = Response(status: status, headers: headers, body: [])
        if isHead || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            while pending.count < length {
                if try !fill(deadline: deadline) { throw Failure.closed }
            }
            response.body = Array(pending[..<length])
            pending.removeFirst(length)
        } else {
            // Delimited by close.
            while try fill(deadline: deadline) {}
            response.body = pending
            pending = []
        }
        return response
    }

    /// Reads until at least `count` body bytes of a close-delimited stream arrived.
    func readStream(atLeast count: Int, timeout: Duration = .seconds(3)) throws -> [UInt8] {
        let deadline = ContinuousClock.now + timeout
        while pending.count < count {
            if try !fill(deadline: deadline) { break }
        }
        let taken = pending
        pending = []
        return taken
    }

    /// Reads until `marker` appears; returns everything up to and including it.
    func read(until marker: String, timeout: Duration = .seconds(3)) throws -> String {
        let deadline = ContinuousClock.now + timeout
        let needle = Array(marker.utf8)
        while true {
            if let range = firstRange(of: needle) {
                let taken = Array(pending[..<range.upperBound])
                pending.removeFirst(range.upperBound)
                return String(decoding: taken, as: UTF8.self)
            }
            if try !fill(deadline: deadline) { throw Failure.closed }
        }
    }

    /// Waits for the peer to close (EOF or reset), discarding data; false on timeout.
    func waitForClose(timeout: Duration = .seconds(3)) -> Bool {
        let deadline = ContinuousClock.now + timeout
        do {
            while try fill(deadline: deadline) { pending = [] }
            return true
        } catch {
            return false
        }
    }

    private func findHeadEnd() -> Int? {
        firstRange(of: [13, 10, 13, 10])?.lowerBound
    }

    private func firstRange(of needle: [UInt8]) -> Range<Int>? {
        guard pending.count >= needle.count else { return nil }
        for start in 0...(pending.count - needle.count) where pending[start] == needle[0] {
            if Array(pending[start..<(start + needle.count)]) == needle { return start..<(start + needle.count) }
        }
        return nil
    }
}

/// Sleeps the calling thread.
func usleepMilliseconds(_ milliseconds: Int) {
    usleep(UInt32(milliseconds * 1000))
}
